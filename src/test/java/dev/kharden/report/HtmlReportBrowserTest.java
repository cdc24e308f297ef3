package dev.kharden.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kharden.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * Opens the HTML report in real headless Chromium (Debian's chromium and chromium-driver) and checks
 * that it renders (charts have size, rows show) and that the filters and explanation links work.
 * Skips with a message when Chromium or its driver is not installed.
 */
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static ChromeDriver browser;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "chromium and chromium-driver (Debian packages) not installed: skipping the browser test");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static List<WebElement> visibleRows() {
        return browser.findElements(By.cssSelector("tr.finding")).stream().filter(WebElement::isDisplayed).toList();
    }

    private static JsonNode open(String... check) throws Exception {
        Path page = dir.resolve("report-" + System.nanoTime() + ".html");
        String[] html = new String[check.length + 4];
        System.arraycopy(check, 0, html, 0, check.length);
        html[check.length] = "--format";
        html[check.length + 1] = "html";
        html[check.length + 2] = "-o";
        html[check.length + 3] = page.toString();
        CliRun.of(html);
        String[] json = new String[check.length + 2];
        System.arraycopy(check, 0, json, 0, check.length);
        json[check.length] = "--format";
        json[check.length + 1] = "json";
        browser.get(page.toUri().toString());
        return CliRun.of(json).json();
    }

    @Test
    void rendersAndFiltersWork() throws Exception {
        JsonNode json = open("check", "--config", SarifReportTest.fixture("small.config").toString(), "--profile", "kspp");
        JsonNode summary = json.at("/reports/0/summary");
        assertThat(browser.getTitle()).startsWith("kharden check: ").endsWith("small.config");

        // Rendered: three charts with drawn bars, the table, and the count the script keeps.
        assertThat(browser.findElements(By.cssSelector("svg.chart"))).hasSize(3);
        Number barWidth = (Number) js("return document.querySelector('svg.chart rect').getBoundingClientRect().width");
        assertThat(barWidth.doubleValue()).isPositive();
        long failOrUnknown = summary.get("fail").asLong() + summary.get("unknown").asLong();
        assertThat(visibleRows()).hasSize((int) failOrUnknown);
        assertThat(browser.findElement(By.id("shown")).getText()).isEqualTo(String.valueOf(failOrUnknown));

        // Verdict boxes: adding passes shows them too; leaving only "fail" shows exactly the failures.
        browser.findElement(By.cssSelector("input[name=verdict][value=pass]")).click();
        assertThat(visibleRows()).hasSize((int) (failOrUnknown + summary.get("pass").asLong()));
        browser.findElement(By.cssSelector("input[name=verdict][value=pass]")).click();
        browser.findElement(By.cssSelector("input[name=verdict][value=unknown]")).click();
        List<WebElement> fails = visibleRows();
        assertThat(fails).hasSize(summary.get("fail").asInt());
        assertThat(fails).allSatisfy(r -> assertThat(r.getAttribute("data-verdict")).isEqualTo("fail"));

        // Severity.
        new Select(browser.findElement(By.id("f-severity"))).selectByValue("high");
        long highFails = 0;
        for (JsonNode f : json.at("/reports/0/findings")) {
            if (f.get("verdict").asText().equals("fail") && f.get("severity").asText().equals("high")) {
                highFails++;
            }
        }
        assertThat(visibleRows()).hasSize((int) highFails)
                .allSatisfy(r -> assertThat(r.getAttribute("data-severity")).isEqualTo("high"));
        new Select(browser.findElement(By.id("f-severity"))).selectByValue("");

        // Clicking a bug-class bar filters on that class.
        WebElement bar = browser.findElement(By.cssSelector("svg[data-chart=bugclasses] g.bar rect"));
        String key = bar.findElement(By.xpath("..")).getAttribute("data-key");
        String bc = key.split(" ")[0];
        bar.click();
        assertThat(new Select(browser.findElement(By.id("f-bc"))).getFirstSelectedOption().getAttribute("value")).isEqualTo(bc);
        assertThat(visibleRows()).allSatisfy(r -> assertThat(r.getAttribute("data-bc").split(" ")).contains(bc));
        new Select(browser.findElement(By.id("f-bc"))).selectByValue("");

        // Free-text search.
        WebElement search = browser.findElement(By.id("f-text"));
        search.sendKeys("devmem");
        assertThat(visibleRows()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.getText().toLowerCase()).contains("devmem"));
        search.clear();
        search.sendKeys("no-such-option-anywhere");
        assertThat(visibleRows()).isEmpty();
        assertThat(browser.findElement(By.id("shown")).getText()).isEqualTo("0");
    }

    @Test
    void findingLinksReachTheirExplanationAndNothingIsFetched() throws Exception {
        open("check", "--config", SarifReportTest.fixture("small.config").toString());
        WebElement link = visibleRows().getFirst().findElement(By.cssSelector("a[href^='#feature-']"));
        String id = link.getAttribute("href").replaceAll(".*#feature-", "");
        link.click();
        WebElement article = browser.findElement(By.id("feature-" + id));
        assertThat(article.isDisplayed()).isTrue();
        assertThat(article.getText()).contains("Defends against").contains("Origin").contains("Cost");
        assertThat((Boolean) js("return document.querySelector(':target') === document.getElementById('feature-" + id + "')")).isTrue();
        // The page is a single file: the browser loaded no other resource.
        assertThat((Number) js("return performance.getEntriesByType('resource').length")).isEqualTo(0L);
    }

    @Test
    void batchPageFiltersByInput() throws Exception {
        Path configs = Files.createDirectories(dir.resolve("configs"));
        Files.copy(SarifReportTest.fixture("small.config"), configs.resolve("a.config"));
        Files.writeString(configs.resolve("b.config"), "CONFIG_ARM64=y\nCONFIG_DEVMEM=y\n");
        open("check", "--config", configs.toString());
        assertThat(browser.findElements(By.cssSelector("section.report"))).hasSize(2);
        new Select(browser.findElement(By.id("f-report"))).selectByValue("1");
        assertThat(visibleRows()).isNotEmpty().allSatisfy(r -> assertThat(r.getAttribute("data-report")).isEqualTo("1"));
        assertThat(browser.findElement(By.id("report-0")).isDisplayed()).isFalse();
    }
}
