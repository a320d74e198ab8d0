package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.latentlab.cli.CliRunner.run;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Opens the HTML report of a real (tiny) sweep in headless Chromium (Debian's {@code chromium}
 * and {@code chromedriver}): no console errors, every image rendered (naturalWidth &gt; 0), the
 * results table has a row per trial, and a screenshot is saved next to the report and under
 * {@code target/}.
 *
 * <p>Without a browser the test is skipped, unless {@code LATENTLAB_REQUIRE_BROWSER=1} (CI sets
 * it), where a missing browser fails it.
 */
@Tag("browser")
class ReportBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER =
            Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));

    @TempDir
    static Path tmp;

    @BeforeAll
    static void browserPresent() {
        // Selenium warns that it has no DevTools bindings for this Chromium version; the test uses none.
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if ("1".equals(System.getenv("LATENTLAB_REQUIRE_BROWSER"))) {
            assertTrue(
                    present,
                    "LATENTLAB_REQUIRE_BROWSER=1 but " + CHROMIUM + " or " + CHROMEDRIVER
                            + " is missing: apt-get install chromium chromium-driver");
        }
        Assumptions.assumeTrue(present, "no " + CHROMIUM + " / " + CHROMEDRIVER + ": browser test skipped");
    }

    @Test
    void sweepReportRendersEveryImageWithoutConsoleErrors() throws Exception {
        Path sweep = tmp.resolve("sweep");
        Result s = run("sweep", TinyVaeSweep.class.getName(), "--out", sweep.toString());
        assertEquals(0, s.exit(), s.err());
        Result ev = run("evaluate", sweep.toString(), "--is-samples", "10", "--is-images", "50", "--probe-size", "500");
        assertEquals(0, ev.exit(), ev.err());
        assertTrue(
                Files.readString(sweep.resolve("results.csv"))
                        .lines()
                        .findFirst()
                        .orElseThrow()
                        .contains("eval_knn_accuracy"),
                "results.csv has the evaluation columns");
        Result again = run("evaluate", sweep.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("exists, skipped"), again.out());
        Result r = run("report", sweep.toString());
        assertEquals(0, r.exit(), r.err());
        Path index = sweep.resolve("index.html");
        assertTrue(Files.isRegularFile(index), r.out());
        // The figures behind the report: per trial, and the sweep's comparisons.
        Path trial2d = sweep.resolve("trials/000-latentSize=2-seed=1/plots");
        Path trial4d = sweep.resolve("trials/002-latentSize=4-seed=1/plots");
        for (Path f : List.of(
                trial2d.resolve("latent_2d.png"),
                trial2d.resolve("manifold.svg"),
                trial2d.resolve("loss_curves.csv"),
                trial2d.resolve("samples.png"),
                trial2d.resolve("interpolation.png"),
                trial2d.resolve("filters.png"),
                trial4d.resolve("latent_pca.png"),
                trial4d.resolve("latent_tsne.csv"),
                sweep.resolve("plots/latent_grid.png"),
                sweep.resolve("plots/latent_grid.svg"),
                sweep.resolve("plots/metric_test_neg_elbo_vs_latentSize.png"),
                sweep.resolve("plots/metric_eval_knn_accuracy_vs_latentSize.csv"))) {
            assertTrue(Files.isRegularFile(f), "missing " + f);
        }
        // The sweep's latent grid holds one panel per completed trial.
        long panels = Files.readAllLines(sweep.resolve("plots/latent_grid.csv")).stream()
                .skip(1)
                .map(l -> l.split(",")[0])
                .distinct()
                .count();
        assertEquals(4, panels);

        ChromeDriver driver = startBrowser();
        try {
            checkPages(driver, List.of(index, sweep.resolve("trials/000-latentSize=2-seed=1/index.html")));
            driver.get(index.toUri().toString());
            Object rows = ((JavascriptExecutor) driver)
                    .executeScript("return document.querySelectorAll('table.results tbody tr').length;");
            assertEquals(4L, ((Number) rows).longValue(), "one results row per trial");
            Object best = ((JavascriptExecutor) driver)
                    .executeScript("return document.querySelectorAll('table.results tr.best').length;");
            assertEquals(1L, ((Number) best).longValue(), "the best trial is marked");

            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), sweep.resolve("report-screenshot.png"));
            Path kept = Path.of("target", "report-screenshot.png");
            Files.createDirectories(kept.getParent());
            Files.copy(shot.toPath(), kept, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(Files.size(kept) > 10_000, "screenshot is suspiciously small: " + Files.size(kept) + " bytes");
        } finally {
            driver.quit();
        }
    }

    /**
     * A lecture experiment across model types, as a user runs it ({@code sweep anomaly --quick --report}): its report
     * shows the analysis table and figures of three model types, every image renders, no console errors.
     */
    @Test
    void crossModelGalleryReportRendersItsAnalysisAndFigures() throws Exception {
        Path sweep = tmp.resolve("anomaly");
        Result s = run("sweep", "anomaly", "--quick", "--report", "--out", sweep.toString());
        assertEquals(0, s.exit(), s.err());
        Path index = sweep.resolve("index.html");
        ChromeDriver driver = startBrowser();
        try {
            checkPages(driver, List.of(index));
            JavascriptExecutor js = driver;
            long trials = ((Number)
                            js.executeScript("return document.querySelectorAll('table.results tbody tr').length;"))
                    .longValue();
            assertEquals(6L, trials, "2 digits x 3 model types");
            String modelCells = (String)
                    js.executeScript(
                            "return Array.from(document.querySelectorAll('table.results tbody td')).map(t => t.textContent).join(' ');");
            for (String model : List.of("ae", "conv-ae", "vae")) {
                assertTrue(modelCells.contains(model), model + " missing from the results table: " + modelCells);
            }
            long analysisRows = ((Number) js.executeScript(
                            "return document.querySelectorAll('section.analysis table.analysis tbody tr').length;"))
                    .longValue();
            assertTrue(analysisRows >= 3, "the analysis tables are rendered as tables: " + analysisRows);
            Object roc = js.executeScript(
                    "return Array.from(document.images).filter(i => i.getAttribute('src').endsWith('anomaly_roc.png'))"
                            + ".map(i => i.naturalWidth);");
            assertEquals(1, ((List<?>) roc).size(), "the sweep's ROC figure is shown once: " + roc);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path kept = Path.of("target", "gallery-report-screenshot.png");
            Files.createDirectories(kept.getParent());
            Files.copy(shot.toPath(), kept, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            driver.quit();
        }
    }

    private static ChromeDriver startBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1400,1800",
                "--allow-file-access-from-files");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // The driver path is given, so Selenium Manager never tries to download one.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }

    /** Loads each page and checks that every image rendered and the console has no errors. */
    private static void checkPages(ChromeDriver driver, List<Path> pages) throws InterruptedException {
        for (Path page : pages) {
            driver.get(page.toUri().toString());
            JavascriptExecutor js = driver;
            // Wait until every image has finished loading (or failed).
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Boolean.TRUE.equals(
                    js.executeScript("return Array.from(document.images).every(i => i.complete);"))) {
                assertTrue(System.nanoTime() < deadline, "images still loading on " + page);
                Thread.sleep(100);
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> images = (List<Map<String, Object>>) js.executeScript(
                    "return Array.from(document.images).map(i => ({src: i.getAttribute('src'), w: i.naturalWidth}));");
            assertFalse(images.isEmpty(), "no images on " + page);
            for (Map<String, Object> img : images) {
                assertTrue(
                        ((Number) img.get("w")).longValue() > 0,
                        "image not rendered on " + page + ": " + img.get("src"));
            }
            List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .toList();
            assertTrue(errors.isEmpty(), "console errors on " + page + ": " + errors);
        }
    }
}
