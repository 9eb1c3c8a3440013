// Accessibility, checked by axe-core in the real app: every view, the dialogs a newcomer meets, the
// shortcuts overlay and deploy mode, in the light and the dark theme, with the sample data. The test
// fails on any serious or critical violation, naming the rule and where.
import assert from "node:assert/strict";
import { test } from "node:test";
import { axeViolations, freshDatabase, goTo, noDialog, openApp, openRelease, startDriver } from "./harness.mjs";

const VIEWS = [
  ["1", "Timeline"],
  ["2", "Releases"],
  ["3", "Risks"],
  ["4", "Changes"],
  ["5", "Insights"],
  ["6", "Products"],
  ["7", "Activity"],
  ["8", "Settings"],
];

test("axe finds no serious or critical violation in any view, dialog or deploy mode, in either theme", async () => {
  const driver = await startDriver(freshDatabase(), 4880);
  let browser;
  const found = [];
  const check = async (where) => {
    for (const v of await axeViolations(browser)) found.push(`${where}: ${v}`);
  };
  try {
    browser = await openApp(driver);
    await (await browser.$("button=Load sample data")).click();
    await (await browser.$("[data-testid=timeline]")).waitForDisplayed({ timeout: 8000 });
    for (const theme of ["light", "dark"]) {
      await browser.execute((t) => (document.documentElement.dataset.theme = t), theme);
      for (const [key, heading] of VIEWS) {
        await goTo(browser, key, heading);
        await browser.pause(300);
        await check(`${theme} ${heading}`);
        // A screen reader's eye: one h1 a view, the main landmark and navigation, a live region for toasts.
        const shape = await browser.execute(() => ({
          h1: document.querySelectorAll("h1").length,
          main: document.querySelectorAll("main").length,
          nav: document.querySelectorAll("nav").length,
          live: document.querySelectorAll("[aria-live]").length,
        }));
        if (shape.h1 !== 1 || shape.main !== 1 || shape.nav < 1 || shape.live < 1) found.push(`${theme} ${heading}: landmarks ${JSON.stringify(shape)}`);
      }
      // The dialogs: a new release, the status report, a new risk, the shortcuts.
      for (const [view, key, name] of [["2", "n", "New release"], ["2", "s", "Status report"], ["3", "n", "New risk"], [null, "?", "Shortcuts"]]) {
        if (view) await goTo(browser, view, view === "2" ? "Releases" : "Risks");
        await browser.keys(key);
        await (await browser.$("[role=dialog]")).waitForDisplayed({ timeout: 3000 });
        await browser.pause(300);
        await check(`${theme} ${name}`);
        await browser.keys("Escape");
        await noDialog(browser);
      }
      // A release's detail, and deploy mode.
      await openRelease(browser, "2.5.0");
      await check(`${theme} Release detail`);
      await (await browser.$("[data-testid=deploy-mode]")).click();
      await (await browser.$("[data-testid=deploy-mode-view]")).waitForDisplayed({ timeout: 5000 });
      await browser.pause(300);
      await check(`${theme} Deploy mode`);
      await browser.keys("Escape");
      await browser.pause(300);
    }
  } finally {
    await browser?.deleteSession().catch(() => {});
    driver.stop();
  }
  assert.deepEqual(found, [], found.join("\n"));
});
