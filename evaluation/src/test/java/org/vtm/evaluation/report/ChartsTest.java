package org.vtm.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ablation learning-curve chart shows every variant's every epoch, whatever scale its loss has. */
class ChartsTest {
    private static JsonNode history(double... trainValidationPairs) throws Exception {
        StringBuilder s = new StringBuilder("{\"format\":\"vtm.history/1\",\"epochs\":[");
        for (int i = 0; i < trainValidationPairs.length; i += 2) {
            s.append(i == 0 ? "" : ",").append("{\"epoch\":").append(i / 2).append(",\"train_loss\":")
                    .append(trainValidationPairs[i]).append(",\"validation_loss\":").append(trainValidationPairs[i + 1])
                    .append('}');
        }
        return new ObjectMapper().readTree(s.append("]}").toString());
    }

    @Test
    void everyVariantGetsAPanelWithAllItsEpochs(@TempDir Path tmp) throws Exception {
        Map<String, JsonNode> h = new LinkedHashMap<>();
        h.put("learned", history(-17.6, -16.9, -17.59, -16.91, -17.58, -16.92)); // log loss: negative
        h.put("random_init", history(-0.15, -0.13, -0.14, -0.131));                // log loss near zero
        h.put("direct_head", history(0.18, 0.12, 0.17, 0.11, 0.16, 0.10));          // positive
        JFreeChart chart = Charts.learningCurvesChart(h, "Ablations");
        CombinedDomainXYPlot plot = assertInstanceOf(CombinedDomainXYPlot.class, chart.getPlot());
        @SuppressWarnings("unchecked")
        List<XYPlot> panels = plot.getSubplots();
        assertEquals(3, panels.size(), "one panel per variant");
        int[] epochs = {3, 2, 3};
        for (int i = 0; i < 3; i++) {
            XYPlot p = panels.get(i);
            assertEquals(2, p.getDataset().getSeriesCount());
            assertEquals(epochs[i], p.getDataset().getItemCount(0), "validation points of panel " + i);
            assertEquals(epochs[i], p.getDataset().getItemCount(1), "training points of panel " + i);
        }
        assertInstanceOf(NumberAxis.class, panels.get(0).getRangeAxis(), "a negative loss gets a linear axis");
        assertInstanceOf(LogAxis.class, panels.get(2).getRangeAxis(), "a positive loss gets a log axis");

        Path png = tmp.resolve("curves.png");
        Charts.learningCurves(h, "Ablations", png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getHeight() >= 3 * 200, "tall enough for three panels: " + img.getHeight());
        assertTrue(Files.size(png) > 5_000);
    }
}
