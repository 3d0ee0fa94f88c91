package org.vtm.interpreter.stm;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Heat maps of memory activity (the seed's Figures 2–5) as PNG: white = untouched, deeper blue =
 * more read/write weight; each map is scaled to its own maximum.
 */
public final class ActivityRenderer {
    private ActivityRenderer() {
    }

    /** One heat map of {@code rows×cols} values with {@code cell} pixels per memory cell and a caption. */
    public static BufferedImage heatMap(double[] values, int rows, int cols, int cell, String caption) {
        int captionHeight = caption == null ? 0 : 16;
        BufferedImage img = new BufferedImage(cols * cell, rows * cell + captionHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        for (int a = 0; a < rows; a++) {
            for (int c = 0; c < cols; c++) {
                double t = max > 0 ? Math.max(0, values[a * cols + c]) / max : 0;
                int r = (int) Math.round(255 * (1 - 0.85 * t));
                int gr = (int) Math.round(255 * (1 - 0.6 * t));
                g.setColor(new Color(r, gr, 255));
                g.fillRect(c * cell, captionHeight + a * cell, cell, cell);
                g.setColor(new Color(225, 225, 225));
                g.drawRect(c * cell, captionHeight + a * cell, cell, cell);
            }
        }
        if (caption != null) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(caption, 2, 12);
        }
        g.dispose();
        return img;
    }

    /** Images side by side with a gap. */
    public static BufferedImage sideBySide(BufferedImage... images) {
        int gap = 8;
        int w = gap;
        int h = 0;
        for (BufferedImage i : images) {
            w += i.getWidth() + gap;
            h = Math.max(h, i.getHeight());
        }
        BufferedImage out = new BufferedImage(w, h + 2 * gap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        int x = gap;
        for (BufferedImage i : images) {
            g.drawImage(i, x, gap, null);
            x += i.getWidth() + gap;
        }
        g.dispose();
        return out;
    }

    /**
     * A line chart of {@code values} (one point per value, {@code step} pixels apart, {@code height} pixels high,
     * scaled from 0 — or the minimum, if negative — to the maximum; NaN values are skipped) with a caption giving
     * the range.
     */
    public static BufferedImage lineChart(double[] values, int step, int height, String caption) {
        int captionHeight = 16;
        int w = Math.max(2, values.length * step);
        BufferedImage img = new BufferedImage(w + 4, height + captionHeight + 4, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        double lo = 0;
        double hi = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double span = hi > lo ? hi - lo : 1;
        g.setColor(new Color(225, 225, 225));
        g.drawRect(1, captionHeight + 1, w + 1, height + 1);
        g.setColor(new Color(38, 102, 255));
        int px = -1;
        int py = -1;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                px = -1;
                continue;
            }
            int x = 2 + i * step;
            int y = captionHeight + 2 + (int) Math.round((height - 1) * (1 - (values[i] - lo) / span));
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            } else {
                g.fillRect(x, y, 1, 1);
            }
            px = x;
            py = y;
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(String.format(java.util.Locale.ROOT, "%s  (%.3g .. %.3g)", caption, lo, hi), 2, 12);
        g.dispose();
        return img;
    }

    /** Images one below the other with a gap. */
    public static BufferedImage stacked(BufferedImage... images) {
        int gap = 8;
        int h = gap;
        int w = 0;
        for (BufferedImage i : images) {
            h += i.getHeight() + gap;
            w = Math.max(w, i.getWidth());
        }
        BufferedImage out = new BufferedImage(w + 2 * gap, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        int y = gap;
        for (BufferedImage i : images) {
            g.drawImage(i, gap, y, null);
            y += i.getHeight() + gap;
        }
        g.dispose();
        return out;
    }

    public static void write(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}
