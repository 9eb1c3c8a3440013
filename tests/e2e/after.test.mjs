// After the release, in the real app: Insights measures the sample (five production deployments, one
// rolled back: 20%); an incident recorded on the released 2.3.0 (a commit of its range suspected, a
// mark on the timeline) makes its deployment a failure too,
// and the change failure rate in Insights goes to 40%. The rolled-back 2.4.0's retrospective is
// prefilled, and an action item becomes a risk on the next release.
import assert from "node:assert/strict";
import { test } from "node:test";
import { dismissToasts, freshDatabase, goTo, noDialog, openApp, openRelease, screenshot, screenshots, startDriver, type } from "./harness.mjs";

async function failureRate(browser) {
  const card = await browser.$("section[data-metric=change_failure_rate] .value");
  await card.waitForDisplayed({ timeout: 15000 });
  return card.getText();
}

test("an incident on a released release raises the change failure rate in Insights", async () => {
  const driver = await startDriver(freshDatabase(), 4820);
  let browser;
  try {
    browser = await openApp(driver);
    await (await browser.$("button=Load sample data")).click();
    await (await browser.$("[data-testid=timeline]")).waitForDisplayed({ timeout: 8000 });
    await goTo(browser, "5", "Insights");
    await browser.waitUntil(async () => (await failureRate(browser)) === "20.0%", {
      timeout: 15000,
      timeoutMsg: "the sample's failure rate: 1 of 5 deployments",
    });
    await dismissToasts(browser);
    await screenshot(browser, "insights", screenshots);

    await openRelease(browser, "2.3.0");
    await (await browser.$("[data-testid=release-incidents] [data-testid=new-incident]")).click();
    await type(browser, "#incident-title", "Saved searches lost after the upgrade");
    await (await browser.$("label[for=incident-severity-sev3], #incident-severity-sev3")).click();
    await (await browser.$("button[data-action=record-incident]")).click();
    const item = await browser.$("[data-testid=release-incidents] li[data-incident]");
    await item.waitForDisplayed({ timeout: 5000 });
    assert.match(await item.getText(), /SEV3[\s\S]*Saved searches lost after the upgrade/);
    await (await item.$("button[data-action=resolved]")).click();
    await browser.waitUntil(async () => (await item.getAttribute("data-status")) === "resolved", { timeout: 5000 });
    await noDialog(browser);

    // Its suspects are 2.3.0's commits, read from git; one ticked is recorded on the incident.
    await (await item.$("details[data-suspects] summary")).click();
    const first = await item.$("details[data-suspects] input[type=checkbox]");
    await first.waitForDisplayed({ timeout: 8000 });
    await first.click();
    await (await item.$("button=Save suspects")).click();
    await browser.waitUntil(async () => /Suspected: [0-9a-f]{7}/.test(await item.getText()), { timeout: 5000, timeoutMsg: "the suspect is recorded" });

    // On the timeline: a mark at its detection on 2.3.0's lane, beside the sample's.
    await goTo(browser, "1", "Timeline");
    // The timeline starts a quarter back; the sample's year is one "Earlier" away.
    const earlier = await browser.$("[data-testid=timeline-earlier]");
    await earlier.waitForDisplayed({ timeout: 5000 });
    await earlier.click();
    await browser.waitUntil(async () => !(await (await browser.$("[data-testid=timeline-earlier]")).isExisting()), {
      timeout: 5000,
      timeoutMsg: "the whole plan is shown",
    });
    const marks = await browser.$$("[data-lane] button[data-incident]");
    assert.equal(marks.length, 4, "the sample's three incidents of the year, and this one");
    const labels = [];
    for (const mark of marks) labels.push(await mark.getAttribute("aria-label"));
    assert.ok(labels.some((l) => /^Incident, SEV3, resolved: Saved searches lost after the upgrade, detected /.test(l ?? "")), labels.join("\n"));

    await goTo(browser, "5", "Insights");
    await browser.waitUntil(async () => (await failureRate(browser)) === "40.0%", {
      timeout: 15000,
      timeoutMsg: "2.3.0's deployment now counts as failed: 2 of 5",
    });

    // The rolled-back 2.4.0's retrospective, prefilled, with the team's words and two action items.
    await openRelease(browser, "2.4.0");
    const retro = await browser.$("[data-testid=retro]");
    await retro.waitForDisplayed({ timeout: 8000 });
    await browser.waitUntil(async () => /Rolled back/.test(await retro.getText()), { timeout: 5000, timeoutMsg: "the facts say it was rolled back" });
    assert.match(await retro.getText(), /restored in 4 days 20 min/);
    assert.equal((await browser.$$("[data-testid=retro] li[data-action-item]")).length, 2);
    await (await browser.$("[data-testid=retro] li[data-action-item] [data-promote=risk]")).click();
    await (await browser.$("[data-testid=retro] [data-became]")).waitForDisplayed({ timeout: 5000 });
    await dismissToasts(browser);
    await browser.execute(() => document.querySelector("[data-testid=retro]")?.scrollIntoView({ block: "start" }));
    await browser.pause(200);
    await screenshot(browser, "retro", screenshots);
  } finally {
    await browser?.deleteSession().catch(() => {});
    driver.stop();
  }
});
