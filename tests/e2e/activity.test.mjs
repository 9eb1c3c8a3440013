// The audit log in the real app: the Activity view lists who changed what, filters it, opens a
// release's own history from the release, and warns in every view when the log was edited behind
// Relman's back (checked in the background on open).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { dismissToasts, freshDatabase, goTo, openApp, screenshot, screenshots, startDriver, openRelease } from "./harness.mjs";

const db = freshDatabase();

/** The rows' text, read in the page in one step: the list re-renders as filters change. */
async function rows(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll("table[aria-label='Audit events'] tbody tr[data-seq]")].map((r) => r.innerText),
  );
}

test("the Activity view shows, filters and links the audit log, and a tampered log is flagged", async () => {
  let driver = await startDriver(db, 4560);
  let browser = await openApp(driver);
  try {
    await goTo(browser, "7", "Activity");
    await (await browser.$("section[aria-label='Nothing recorded yet']")).waitForDisplayed({ timeout: 5000 });
    await (await browser.$("button=Load sample data")).click();
    await goTo(browser, "7", "Activity");
    const table = await browser.$("table[aria-label='Audit events']");
    await table.waitForDisplayed({ timeout: 10_000 });
    await browser.waitUntil(async () => (await (await browser.$("[data-chain]")).getAttribute("data-chain")) === "intact", {
      timeout: 10_000,
      timeoutMsg: "the chain check on open says intact",
    });
    assert.ok((await rows(browser)).length >= 50, "a page of the sample's events");

    // Filter by a product, then open one event's details with its hashes.
    await (await browser.$("select[data-filter=product]")).selectByVisibleText("Atlas Web");
    await browser.waitUntil(async () => (await rows(browser)).every((r) => !/Beacon/.test(r)), { timeout: 5000 });
    const first = await browser.$("table[aria-label='Audit events'] tbody tr[data-seq] button[aria-expanded]");
    await first.click();
    await (await browser.$("tr.details dd.hash")).waitForDisplayed({ timeout: 5000 });
    await dismissToasts(browser);
    await screenshot(browser, "activity", screenshots);

    // A filter that matches nothing says so and offers the way back.
    await (await browser.$("input[data-filter=actor]")).setValue("nobody-at-all");
    await (await browser.$("section[aria-label='No events match']")).waitForDisplayed({ timeout: 5000 });
    await (await (await browser.$("section[aria-label='No events match']")).$("button=Clear filters")).click();
    await table.waitForDisplayed({ timeout: 5000 });

    // From a release's detail, its own history.
    await openRelease(browser, "2.5.0");
    await (await browser.$("[data-testid=release-detail] [data-history]")).click();
    await browser.waitUntil(async () => (await (await browser.$("main h1")).getText()) === "Activity", { timeout: 5000 });
    await browser.waitUntil(async () => (await rows(browser)).length > 0, { timeout: 5000 });
    const releaseRows = await rows(browser);
    assert.ok(releaseRows.some((r) => /release 2\.5\.0/.test(r)), `the release's own events: ${releaseRows.join(" | ")}`);
    assert.ok(releaseRows.every((r) => !/product Atlas Web/.test(r)), "and not the product's");
  } finally {
    await browser.deleteSession();
    driver.stop();
  }

  // Someone edits an event in the file, with the append-only trigger dropped.
  execFileSync("python3", [
    "-c",
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(\"DROP TRIGGER audit_event_no_update; UPDATE audit_event SET actor = 'mallory' WHERE seq = 3;\"); c.commit()",
    db,
  ]);
  driver = await startDriver(db, 4562);
  browser = await openApp(driver);
  try {
    const alert = await browser.$(".chain-alert");
    await alert.waitForDisplayed({ timeout: 10_000 });
    assert.match(await alert.getText(), /event #3 .* changed after it was written/, "the warning names the event");
    await screenshot(browser, "activity-tampered", screenshots);
    await (await (await browser.$(".chain-alert")).$("button=Open Activity")).click();
    const chain = await browser.$("[data-chain=broken]");
    await chain.waitForDisplayed({ timeout: 5000 });
  } finally {
    await browser.deleteSession();
    driver.stop();
  }
});
