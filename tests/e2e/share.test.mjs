// Two Relman windows on two laptops' databases, open at once, sharing one plan through a git remote
// (a bare repository over file://): Priya points the sample's sharing at the team's remote and syncs; Quinn, starting
// empty, shares through the same remote and syncs to get it, signs off QA on 2.5.0 and syncs; Priya
// syncs and sees Quinn's sign-off. Then both change 3.0.0's owner, and the conflict is resolved in the
// release's detail.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { dismissToasts, freshDatabase, goTo, noDialog, openApp, screenshot, screenshots, startDriver, type, openRelease } from "./harness.mjs";

const QUINN = "Quinn Okafor <quinn@example.com>";

/** The sample is shared through its own sample remote; Priya points it at the team's. */
async function shareThrough(browser, url) {
  await goTo(browser, "8", "Settings");
  await browser.waitUntil(async () => /sample-repositories/.test(await (await browser.$("#share-remote")).getValue()), {
    timeout: 5000,
    timeoutMsg: "the sample comes shared through its sample remote",
  });
  await type(browser, "#share-remote", url);
  await (await browser.$("button=Save sharing")).click();
  await (await browser.$("[data-testid=sync-status]")).waitForDisplayed({ timeout: 5000 });
}

/** Clicks Sync and waits until that sync has finished (the sidebar counts them) and landed. */
async function sync(browser) {
  await noDialog(browser);
  const status = await browser.$("[data-testid=sync-status]");
  const before = Number(await status.getAttribute("data-syncs"));
  await (await status.$("button.sync-button")).click();
  await browser.waitUntil(async () => Number(await status.getAttribute("data-syncs")) > before, {
    timeout: 15000,
    timeoutMsg: "the sync finished",
  });
  assert.match(await status.getText(), /Synced just now/, "and landed");
}

async function setOwner(browser, owner) {
  await openRelease(browser, "3.0.0");
  await noDialog(browser);
  await browser.keys("e");
  await type(browser, "#owner", owner);
  await (await browser.$("button=Save changes")).click();
  await noDialog(browser);
}

test("two windows share one plan: a sign-off made in one appears in the other after Sync", async () => {
  const remote = join(mkdtempSync(join(tmpdir(), "relman-e2e-remote-")), "office.git");
  execFileSync("git", ["init", "-q", "--bare", remote]);
  const url = `file://${remote}`;
  const priyaDriver = await startDriver(freshDatabase(), 4520);
  const quinnDriver = await startDriver(freshDatabase(), 4530, { RELMAN_USER: QUINN });
  let priya;
  let quinn;
  try {
    [priya, quinn] = await Promise.all([openApp(priyaDriver), openApp(quinnDriver)]);
    await (await priya.$("button=Load sample data")).click();
    await (await priya.$("[data-testid=timeline]")).waitForDisplayed({ timeout: 5000 });
    await shareThrough(priya, url);
    await sync(priya);

    await (await quinn.$("button*=Share the plan")).click();
    await type(quinn, "#share-remote", url);
    await (await quinn.$("button=Share the plan")).click();
    await sync(quinn);
    await openRelease(quinn, "2.5.0");
    await type(quinn, "input[aria-label='Sign-off role']", "QA");
    await type(quinn, "input[aria-label='Signed off by']", "Quinn Okafor");
    await (await (await quinn.$("form.signoff")).$("button=Approve")).click();
    await quinn.waitUntil(async () => /QA\s*Quinn Okafor/.test(await (await quinn.$(".signed")).getText().catch(() => "")), {
      timeout: 5000,
      timeoutMsg: "Quinn's sign-off shows in Quinn's window",
    });
    await sync(quinn);

    await sync(priya);
    const toast = await priya.$(".toast*=Synced: Quinn Okafor added sign-off QA on Atlas Web 2.5.0.");
    await toast.waitForDisplayed({ timeout: 5000 });
    await (await (await priya.$("[data-testid=sync-status]")).$("button*=from others")).click();
    const news = await priya.$("[role=dialog]");
    await news.waitForDisplayed({ timeout: 5000 });
    assert.match(await news.getText(), /Quinn Okafor added sign-off QA on Atlas Web 2\.5\.0/, "the news says who did what, where");
    await screenshot(priya, "share-news");
    await priya.keys("Escape");
    await openRelease(priya, "2.5.0");
    const signed = await priya.$(".signed");
    await signed.waitForDisplayed({ timeout: 5000 });
    assert.match(await signed.getText(), /QA\s*Quinn Okafor/, "Priya sees Quinn's sign-off after Sync");

    // Both change 3.0.0's owner before syncing: a conflict, resolved by Priya in the release's detail.
    await setOwner(priya, "Priya Raman");
    await setOwner(quinn, "Quinn Okafor");
    await sync(quinn);
    await sync(priya);
    await (await (await priya.$("[data-testid=sync-status]")).$("button*=to resolve")).waitForDisplayed({ timeout: 5000 });
    await openRelease(priya, "3.0.0");
    const panel = await priya.$("section[aria-label=Conflicts]");
    await panel.waitForDisplayed({ timeout: 5000 });
    await dismissToasts(priya);
    await screenshot(priya, "share-conflict", screenshots);
    const quinns = await panel.$(".candidate*=Quinn Okafor");
    await (await quinns.$("button=Keep this")).click();
    await panel.waitForDisplayed({ reverse: true, timeout: 5000 });
    await sync(priya);
    await sync(quinn);
    await openRelease(quinn, "3.0.0");
    const detail = await (await quinn.$("[data-testid=release-detail]")).getText();
    assert.match(detail, /Quinn Okafor/, "the kept owner everywhere");
    assert.equal(await (await quinn.$("section[aria-label=Conflicts]")).isExisting(), false, "no conflict left");
    await goTo(priya, "8", "Settings");
    await dismissToasts(priya);
    await priya.execute(() => document.getElementById("sharing-title")?.scrollIntoView({ block: "start" }));
    await priya.pause(200);
    await screenshot(priya, "share-settings");
  } finally {
    await priya?.deleteSession().catch(() => {});
    await quinn?.deleteSession().catch(() => {});
    priyaDriver.stop();
    quinnDriver.stop();
  }
});
