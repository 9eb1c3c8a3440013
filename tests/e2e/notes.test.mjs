// Release notes in the real app, on the sample data's git repository: open them by keyboard, hide an
// entry, reword another, write a highlight, and see all of it survive a regeneration.
import assert from "node:assert/strict";
import { test } from "node:test";
import { freshDatabase, openApp, openReleaseNotes, screenshot, screenshots, startDriver, type } from "./harness.mjs";

test("release notes: preview, hide, reword, highlights", async () => {
  const driver = await startDriver(freshDatabase(), 4474);
  let browser;
  try {
    browser = await openApp(driver);
    await (await browser.$("button=Load sample data")).click();
    await (await browser.$("[data-testid=timeline]")).waitForDisplayed({ timeout: 5000 });
    await openReleaseNotes(browser, "2.5.0");
    const headings = await browser.$$(".preview h2").map((h) => h.getText());
    assert.deepEqual(
      headings.map((h) => h.replace(/\s+\d+$/, "")),
      ["Features", "Bug fixes", "Performance", "Refactoring", "Reverts", "Continuous integration", "Chores", "Other", "Contributors"],
      "grouped by type, non-conventional commits under Other",
    );
    const summary = await (await browser.$(".range .summary")).getText();
    assert.match(summary, /10 commits · branches meet at [0-9a-f]{7} · suggests 2\.5\.0/, "the range, where it forks, the suggested version");
    const shipped = await (await browser.$("p.shipped")).getText();
    assert.match(shipped, /2 changes already shipped in v2\.4\.1: not listed/, "the 2.4.1 picks are left out and counted");
    assert.equal(await browser.$$("li.entry*=currency rounding for JPY").length, 0, "a picked fix is not a new change");
    await (await browser.$("button=Show them")).click();
    await browser.waitUntil(async () => (await browser.$$(".badge.shipped").length) === 2, { timeout: 5000, timeoutMsg: "the two picks are shown, marked" });
    assert.match(await (await browser.$("li.entry*=currency rounding for JPY")).getText(), /already in v2\.4\.1/);
    await screenshot(browser, "notes-shipped", screenshots);
    await (await browser.$("button=Leave them out")).click();
    await browser.waitUntil(async () => (await browser.$$(".badge.shipped").length) === 0, { timeout: 5000 });

    // Hide the runbook commit (Other), reword the first feature.
    const other = await browser.$("li.entry*=on-call runbook");
    const otherSha = await other.getAttribute("data-sha");
    await (await other.$("button[aria-label^='Hide']")).click();
    await browser.waitUntil(async () => (await browser.$$(`li.entry[data-sha='${otherSha}']`).length) === 0, { timeout: 5000 });

    const feature = await browser.$("li.entry*=team workspaces");
    await (await feature.$("button[aria-label^='Reword']")).click();
    const reword = await browser.$("input.reword");
    await reword.waitForDisplayed({ timeout: 5000 });
    // The original wording is selected: typing replaces it, Enter keeps it.
    await browser.keys("Workspaces for whole teams");
    await browser.keys("Enter");
    await (await browser.$("li.entry*=Workspaces for whole teams")).waitForDisplayed({ timeout: 5000 });

    await type(browser, "#highlights", "Team workspaces and an audit log export.");
    await (await browser.$("#known_issues")).click(); // leaving the field saves it
    await browser.waitUntil(async () => (await browser.$$(".toast").length) > 0, { timeout: 5000 });

    // Regenerate: every edit is still there.
    await (await browser.$("button=Regenerate")).click();
    await browser.pause(500);
    assert.equal(await (await browser.$("#highlights")).getValue(), "Team workspaces and an audit log export.");
    assert.equal(await browser.$$(`li.entry[data-sha='${otherSha}']`).length, 0, "still hidden");
    assert.ok(await (await browser.$("li.entry*=Workspaces for whole teams")).isDisplayed(), "still reworded");
    assert.equal(await browser.$$(".hidden-list li").length, 1, "the hidden entry is listed to show again");

    await browser.pause(4500);
    await screenshot(browser, "notes", screenshots);
    await browser.keys("Escape");
    await (await browser.$("table[aria-label=Releases]")).waitForDisplayed({ timeout: 5000 });
  } finally {
    await browser?.deleteSession();
    driver.stop();
  }
});
