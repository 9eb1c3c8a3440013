// The foundation's promise, in the real app: create a product and a release through the UI, move the
// release through two legal transitions, quit, start again on the same database: everything is there.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { freshDatabase, goTo, noDialog, openApp, screenshot, screenshots, startDriver, type } from "./harness.mjs";

let driver;
const db = freshDatabase();

before(async () => {
  driver = await startDriver(db);
});

after(() => driver?.stop());

async function statusOf(browser, version) {
  const badge = await browser.$(`tr[data-version="${version}"] [data-status]`);
  await badge.waitForDisplayed({ timeout: 5000 });
  return badge.getAttribute("data-status");
}

test("a release made in the UI survives a restart with its transitions", async () => {
  let browser = await openApp(driver);
  try {
    // The empty state offers the way in.
    await goTo(browser, "2", "Releases");
    const empty = await browser.$("section[aria-label='No releases yet']");
    await empty.waitForDisplayed({ timeout: 5000 });
    await screenshot(browser, "empty-state");

    // A product, by keyboard: 3 opens Products, N a new product.
    await goTo(browser, "6", "Products");
    await browser.keys("n");
    await type(browser, "#name", "Orbit API");
    await browser.keys("Enter");
    await (await browser.$("button[data-product='Orbit API']")).waitForDisplayed({ timeout: 5000 });

    // A release with a bad version first: the error shows beside the field, nothing is saved.
    await goTo(browser, "2", "Releases");
    await browser.keys("n");
    await type(browser, "#version", "1.4");
    await (await browser.$("button=Create release")).click();
    const fieldError = await browser.$("#version-error");
    await fieldError.waitForDisplayed({ timeout: 5000 });
    assert.match(await fieldError.getText(), /not a semantic version/, "the version error is shown inline");
    await screenshot(browser, "release-form-error");

    await type(browser, "#version", "1.4.0");
    await type(browser, "#codename", "Comet");
    await type(browser, "#owner", "Dana");
    await (await browser.$("button=Create release")).click();
    await (await browser.$("tr[data-version='1.4.0']")).waitForDisplayed({ timeout: 5000 });
    await noDialog(browser);
    assert.equal(await statusOf(browser, "1.4.0"), "planned");

    // Two legal moves from the detail panel, which offers only legal next states.
    const detail = await browser.$("[data-testid=release-detail]");
    await detail.waitForDisplayed({ timeout: 5000 });
    const offered = await browser.$$("[data-testid=release-detail] [data-to]").map((b) => b.getAttribute("data-to"));
    assert.deepEqual(offered, ["in_progress", "cancelled"], "planned can only start or be cancelled");
    await (await browser.$("[data-testid=release-detail] button[data-to=in_progress]")).click();
    await browser.waitUntil(async () => (await statusOf(browser, "1.4.0")) === "in_progress", { timeout: 5000 });
    await (await browser.$("[data-testid=release-detail] button[data-to=frozen]")).click();
    await browser.waitUntil(async () => (await statusOf(browser, "1.4.0")) === "frozen", { timeout: 5000 });
    await screenshot(browser, "release-detail");
  } finally {
    await browser.deleteSession();
  }

  // Quit and start again on the same database.
  browser = await openApp(driver);
  try {
    await goTo(browser, "2", "Releases");
    assert.equal(await statusOf(browser, "1.4.0"), "frozen", "the status survived the restart");
    await (await browser.$("tr[data-version='1.4.0'] td")).click();
    const history = await browser.$("section[aria-label=History] ol");
    await history.waitForDisplayed({ timeout: 5000 });
    const entries = await browser.$$("section[aria-label=History] li");
    assert.equal(entries.length, 2, "both transitions are in the history");
    assert.match(await (await browser.$("[data-testid=release-detail]")).getText(), /Comet/, "and so is the codename");
  } finally {
    await browser.deleteSession();
  }
});

test("sample data fills the Releases view (the README screenshot), and its status report reads plainly", async () => {
  const sampleDriver = await startDriver(freshDatabase(), 4454);
  let browser;
  try {
    browser = await openApp(sampleDriver);
    await (await browser.$("button=Load sample data")).click();
    await (await browser.$("[data-testid=timeline]")).waitForDisplayed({ timeout: 5000 });
    await goTo(browser, "2", "Releases");
    await (await browser.$("tr[data-version='2.5.0']")).waitForDisplayed({ timeout: 5000 });
    const rows = await browser.$$("table[aria-label=Releases] tbody tr");
    assert.equal(rows.length, 13, "the sample has thirteen releases");
    await (await browser.$("tr[data-version='2.5.0'] td")).click();
    await (await browser.$("section[aria-label=Milestones] li")).waitForDisplayed({ timeout: 5000 });
    // Let the toast fade so the screenshot shows the view itself.
    await browser.pause(4500);
    await screenshot(browser, "releases", screenshots);

    // S: the status report for stakeholders, in plain language, ready to copy.
    await browser.keys("s");
    const report = await browser.$("[data-testid=status-report]");
    await report.waitForDisplayed({ timeout: 5000 });
    const text = await report.getText();
    assert.match(text, /^# Release status, All products: /);
    assert.match(text, /## Atlas Web 2\.5\.0 \(Lupine\): testing/);
    assert.match(text, /Release Beacon Mobile 2026\.12 to the stores: awaiting approval from CAB/);
    await screenshot(browser, "status-report", screenshots);
  } finally {
    await browser?.deleteSession();
    sampleDriver.stop();
  }
});
