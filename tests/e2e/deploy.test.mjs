// Deploy mode in the real app, keyboard only: a done step, a skip with its reason, a failure and its
// undo; quit mid-deploy and start again: Relman reopens deploy mode at the same step; finish the phase.
import assert from "node:assert/strict";
import { test } from "node:test";
import { freshDatabase, openApp, screenshot, screenshots, startDriver, openRelease } from "./harness.mjs";

async function currentTitle(browser) {
  const title = await browser.$("[data-testid=current-title]");
  await title.waitForDisplayed({ timeout: 5000 });
  return title.getText();
}

async function press(browser, key, expectTitle) {
  await browser.keys(key);
  if (expectTitle) {
    await browser.waitUntil(async () => (await currentTitle(browser)) === expectTitle, {
      timeout: 5000,
      timeoutMsg: `after ${key}, the current step should be "${expectTitle}"`,
    });
  }
}

async function answer(browser, text) {
  const input = await browser.$("#deploy-prompt");
  await input.waitForDisplayed({ timeout: 5000 });
  await browser.keys(text);
  await browser.keys("Enter");
}

test("deploy mode: keyboard only, survives a restart", async () => {
  const db = freshDatabase();
  const driver = await startDriver(db, 4704);
  let browser;
  try {
    browser = await openApp(driver);
    await (await browser.$("button=Load sample data")).click();
    await (await browser.$("[data-testid=timeline]")).waitForDisplayed({ timeout: 5000 });
    await openRelease(browser, "2.5.0");
    const open = await browser.$("[data-testid=deploy-mode]");
    await open.waitForDisplayed({ timeout: 5000 });
    await open.click();

    // Start: the environment field takes Enter.
    const environment = await browser.$(".start input");
    await environment.waitForDisplayed({ timeout: 5000 });
    await environment.click();
    await browser.keys("Enter");
    assert.equal(await currentTitle(browser), "Announce the deploy start in the incident channel");

    await press(browser, "Enter", "Run the database migrations");
    await press(browser, "s");
    await answer(browser, "No migrations in this release");
    await browser.waitUntil(async () => (await currentTitle(browser)) === "Deploy the canary (5% of traffic)", { timeout: 5000 });
    await press(browser, "f");
    await answer(browser, "Canary pods crash-loop");
    await browser.waitUntil(async () => (await (await browser.$("[data-testid=current-step]")).getAttribute("data-state")) === "failed", { timeout: 5000 });
    await press(browser, "u");
    await browser.waitUntil(async () => (await (await browser.$("[data-testid=current-step]")).getAttribute("data-state")) === "todo", { timeout: 5000, timeoutMsg: "undo cleared the failure" });
    await press(browser, "Enter", "Smoke tests against the canary");
    const skipped = await browser.$("ol.done li[data-state=skipped]");
    assert.match(await skipped.getText(), /No migrations in this release/, "the skip keeps its reason");
    await browser.pause(1200);
    await screenshot(browser, "deploy-mode", screenshots);
  } finally {
    await browser?.deleteSession();
  }

  // Quit and start again: straight back into deploy mode, at the same step.
  try {
    browser = await openApp(driver);
    await browser.waitUntil(async () => (await browser.$$("[data-testid=current-title]").length) === 1, { timeout: 10000, timeoutMsg: "deploy mode reopened" });
    assert.equal(await currentTitle(browser), "Smoke tests against the canary", "it reopens where it was");
    for (const next of ["Watch canary error rate and latency for 15 minutes", "Roll out to 100%", "Turn on the release's feature flags", "Smoke tests in production"]) {
      await press(browser, "Enter", next);
    }
    await browser.keys("Enter");
    await (await browser.$("[data-testid=all-done]")).waitForDisplayed({ timeout: 5000 });
    await (await browser.$("button=Succeeded")).click();
    // Ending the deployment leaves deploy mode; the next start of Relman does not reopen it.
    await (await browser.$("nav[aria-label=Views]")).waitForDisplayed({ timeout: 5000 });
    await (await browser.$(".toast*=ended: succeeded")).waitForDisplayed({ timeout: 5000 });
  } finally {
    await browser?.deleteSession();
    driver.stop();
  }
});
