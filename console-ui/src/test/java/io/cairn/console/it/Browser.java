package io.cairn.console.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (never a downloaded browser),
 * with the few gestures the console's tests need on Vaadin's components.
 */
final class Browser implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final ChromeDriver driver;
    private final String baseUrl;
    private final Path shots;

    Browser(String baseUrl, Path shots) {
        this.baseUrl = baseUrl;
        this.shots = shots;
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1440,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
    }

    void open(String path) {
        driver.get(baseUrl + path);
        waitForVaadin();
    }

    String url() {
        return driver.getCurrentUrl();
    }

    /** Waits until Vaadin has no request under way, so what is on screen is what the server last said. */
    void waitForVaadin() {
        new WebDriverWait(driver, WAIT).until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                "if (!window.Vaadin || !window.Vaadin.Flow || !window.Vaadin.Flow.clients) return false;"
                        + "return Object.values(window.Vaadin.Flow.clients).every(c => !c.isActive || !c.isActive());")));
    }

    WebElement byId(String id) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    /** Types into a Vaadin text field, password field or text area, replacing what it held, and commits it. */
    void type(String id, String text) {
        WebElement field = byId(id);
        WebElement input = field.findElements(By.cssSelector("input, textarea")).get(0);
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        input.sendKeys(text);
        input.sendKeys(Keys.TAB);
        waitForVaadin();
    }

    /** Sets a value by script: for text with newlines and indentation, which key presses would auto-format. */
    void setValue(String id, String text) {
        WebElement field = byId(id);
        ((JavascriptExecutor) driver).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new CustomEvent('change', {bubbles: true}));",
                field, text);
        waitForVaadin();
    }

    void click(String id) {
        WebElement e = byId(id);
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(e));
        e.click();
        waitForVaadin();
    }

    void click(By by) {
        WebElement e = new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(by));
        e.click();
        waitForVaadin();
    }

    /** Clicks the grid cell showing exactly {@code text}, which selects its row. */
    void clickCell(String gridId, String text) {
        click(cell(gridId, text));
    }

    static By cell(String gridId, String text) {
        return By.xpath("//vaadin-grid[@id='" + gridId + "']/vaadin-grid-cell-content[normalize-space()='" + text + "']");
    }

    /** The button in the row whose cells include {@code rowText}: component columns sit in the same grid. */
    void clickInRow(String gridId, String rowText, String buttonClass) {
        WebElement grid = byId(gridId);
        String script = "const grid = arguments[0], text = arguments[1], cls = arguments[2];"
                + "for (const row of grid.shadowRoot.querySelectorAll('tr[part~=\"row\"]')) {"
                + "  const contents = [...row.querySelectorAll('slot')].map(s => s.assignedElements()[0]).filter(e => e);"
                + "  if (contents.some(c => c.textContent.trim() === text)) {"
                + "    for (const c of contents) { const b = c.querySelector('.' + cls); if (b) return b; }"
                + "  }"
                + "}"
                + "return null;";
        WebElement button = new WebDriverWait(driver, WAIT).until(d ->
                (WebElement) ((JavascriptExecutor) d).executeScript(script, grid, rowText, buttonClass));
        // a wide grid scrolls sideways: bring the button into view as a person would
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'center'});", button);
        button.click();
        waitForVaadin();
    }

    /** Scrolls the page so a person sees the element at the top, for a screenshot. */
    void scrollTo(String id) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'start'});", byId(id));
    }

    /** Scrolls a grid back to its first column, for a screenshot a person can read. */
    void scrollGridHome(String gridId) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].$.table.scrollLeft = 0;", byId(gridId));
    }

    /** Picks {@code item} in a Vaadin select or combo box: opens it, clicks the item in the overlay. */
    void select(String id, String item) {
        click(id);
        // the select shows its value with a copy of the chosen item (id value-...): not that one
        click(By.xpath("//vaadin-select-item[not(starts-with(@id,'value-')) and normalize-space()='" + item + "']"
                + " | //vaadin-combo-box-item[normalize-space()='" + item + "']"));
    }

    /** Confirms the open confirmation dialog. */
    void confirm() {
        click(By.cssSelector("vaadin-confirm-dialog[opened] vaadin-button[slot='confirm-button'], vaadin-button[slot='confirm-button']"));
    }

    /** Waits until the element's text contains {@code text}; returns the whole text. */
    String waitText(String id, String text) {
        WebElement e = byId(id);
        new WebDriverWait(driver, WAIT).until(d -> e.getText().contains(text)
                || String.valueOf(e.getAttribute("value")).contains(text));
        return e.getText();
    }

    /** Waits for a notification containing {@code text}; returns the text of all notifications shown. */
    String waitNotification(String text) {
        return new WebDriverWait(driver, WAIT).until(d -> {
            List<WebElement> cards = d.findElements(By.tagName("vaadin-notification-card"));
            String all = String.join("\n", cards.stream().map(WebElement::getText).toList());
            return all.contains(text) ? all : null;
        });
    }

    boolean present(By by) {
        return !driver.findElements(by).isEmpty();
    }

    void waitPresent(By by) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    /** Saves what the browser shows as target/screenshots/{@code name}.png for people to look at. */
    Path screenshot(String name) throws Exception {
        Files.createDirectories(shots);
        Path file = shots.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
