package org.vtm.evaluation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the smoke report in a real headless Chromium through the Chrome DevTools Protocol
 * (plain {@link WebSocket}, JSON via Jackson): the page loads from {@code file://} with no console
 * errors or exceptions, every image is decoded, and a full-page screenshot is written next to the
 * report ({@code report-screenshot.png}). Skipped only when {@code chromium} is not installed (CI
 * installs it).
 */
// waits on the smoke pipeline and on a headless Chromium
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ReportBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void reportRendersInHeadlessChromium(@TempDir Path profile) throws Exception {
        Path chromium = findChromium();
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install -y chromium)");
        SmokeRun.Result run = SmokeRun.get();
        assertEquals(0, run.exitCode(), run.errors());
        Path report = run.dir().resolve("report").resolve("report.html").toAbsolutePath();

        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            CompletableFuture<String> wsUrl = new CompletableFuture<>();
            Thread drain = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        Matcher m = Pattern.compile("DevTools listening on (ws://\\S+)").matcher(line);
                        if (m.find()) {
                            wsUrl.complete(m.group(1));
                        }
                    }
                } catch (IOException e) {
                    wsUrl.completeExceptionally(e);
                }
                wsUrl.completeExceptionally(new IllegalStateException("chromium exited without a DevTools URL"));
            }, "chromium-stderr");
            drain.setDaemon(true);
            drain.start();
            URI browser = URI.create(wsUrl.get(60, TimeUnit.SECONDS));
            String pageWs = pageTarget(browser);
            try (Cdp cdp = Cdp.connect(pageWs)) {
                cdp.call("Runtime.enable", Map.of());
                cdp.call("Log.enable", Map.of());
                cdp.call("Page.enable", Map.of());
                CompletableFuture<JsonNode> loaded = cdp.event("Page.loadEventFired");
                JsonNode nav = cdp.call("Page.navigate", Map.of("url", report.toUri().toString()));
                assertTrue(!nav.has("errorText"), "navigation failed: " + nav);
                loaded.get(60, TimeUnit.SECONDS);
                boolean allLoaded = cdp.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
                        .asBoolean();
                int images = cdp.evaluate("document.images.length").asInt();
                int width = cdp.evaluate("document.documentElement.scrollWidth").asInt();
                int height = cdp.evaluate("document.documentElement.scrollHeight").asInt();
                ObjectNode clip = JSON.createObjectNode();
                clip.put("x", 0).put("y", 0).put("width", width).put("height", height).put("scale", 1);
                JsonNode shot = cdp.call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                        "clip", clip));
                Path png = report.resolveSibling("report-screenshot.png");
                Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));

                assertEquals(List.of(), cdp.errors(), "console errors or exceptions");
                assertTrue(allLoaded, "every image loaded and decoded");
                assertTrue(images >= PipelineSmokeTest.IMAGES.size(), "images: " + images);
                assertTrue(ImageIO.read(png.toFile()).getHeight() > 1000, "a full-page screenshot");
                PipelineSmokeTest.assertNonBlank(png);
            }
        } finally {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    static Path findChromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path c = Path.of(dir, name);
                if (Files.isExecutable(c)) {
                    return c;
                }
            }
        }
        return null;
    }

    /** The WebSocket URL of the first page target (created if there is none). */
    private static String pageTarget(URI browser) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
        for (int attempt = 0; attempt < 50; attempt++) {
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(list).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode t : targets) {
                if ("page".equals(t.path("type").asText())) {
                    return t.path("webSocketDebuggerUrl").asText();
                }
            }
            if (attempt == 5) {
                http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getHost() + ":" + browser.getPort()
                        + "/json/new?about:blank")).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("chromium has no page target");
    }

    /** A minimal CDP client: numbered calls, awaited events, and collected errors. */
    static final class Cdp implements WebSocket.Listener, AutoCloseable {
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<JsonNode>> awaited = new ConcurrentHashMap<>();
        private final List<String> errors = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket ws;

        static Cdp connect(String url) throws Exception {
            Cdp c = new Cdp();
            c.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), c).get(30, TimeUnit.SECONDS);
            return c;
        }

        JsonNode call(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.put(id, f);
            ObjectNode msg = JSON.createObjectNode();
            msg.put("id", id);
            msg.put("method", method);
            msg.set("params", JSON.valueToTree(params));
            ws.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
            JsonNode r = f.get(60, TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new IllegalStateException(method + " failed: " + r.get("error"));
            }
            return r.path("result");
        }

        CompletableFuture<JsonNode> event(String method) {
            return awaited.computeIfAbsent(method, k -> new CompletableFuture<>());
        }

        JsonNode evaluate(String expression) throws Exception {
            JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
            if (r.has("exceptionDetails")) {
                throw new IllegalStateException(expression + " threw " + r.get("exceptionDetails"));
            }
            return r.path("result").path("value");
        }

        List<String> errors() {
            return new ArrayList<>(errors);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    handle(JSON.readTree(text));
                } catch (IOException e) {
                    errors.add("unparsable CDP message: " + e.getMessage());
                }
            }
            webSocket.request(1);
            return null;
        }

        private void handle(JsonNode msg) {
            if (msg.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                if (f != null) {
                    f.complete(msg);
                }
                return;
            }
            String method = msg.path("method").asText();
            JsonNode params = msg.path("params");
            switch (method) {
                case "Runtime.exceptionThrown" -> errors.add("exception: " + params.path("exceptionDetails"));
                case "Runtime.consoleAPICalled" -> {
                    String type = params.path("type").asText();
                    if (type.equals("error") || type.equals("assert")) {
                        errors.add("console." + type + ": " + params.path("args"));
                    }
                }
                case "Log.entryAdded" -> {
                    if (params.path("entry").path("level").asText().equals("error")) {
                        errors.add("log: " + params.path("entry").path("text").asText() + " "
                                + params.path("entry").path("url").asText());
                    }
                }
                default -> {
                }
            }
            event(method).complete(params);
        }

        @Override
        public void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}
