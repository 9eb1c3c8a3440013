// Change management in the real app: Priya opens a change request from Atlas Web 2.5.0 (whose
// Clear to deploy gate wants an approved change), drafts its plans from the release and submits it;
// Relman refuses her approval of her own change. Quinn, a second person (RELMAN_USER) on the same
// database, approves it as CAB; with the release's last steps done, its dependency scan's finding
// accepted, Ops and Security signed off and its tag signed, the deploy gate opens, and deploy mode shows the change and its window.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createSignedTag, dismissToasts, freshDatabase, goTo, noDialog, openApp, openRelease, screenshot, screenshots, setDateTime, startDriver, type, useSigningKey } from "./harness.mjs";

const QUINN = "Quinn Okafor <quinn@example.com>";

/** A datetime-local value `minutes` from now on this machine's clock. */
function localTime(minutes) {
  const d = new Date(Date.now() + minutes * 60_000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A gate's verdict line and its criteria, as the checklist shows them. */
async function gateText(browser, name) {
  const gate = await browser.$(`.gates [data-gate='${name}']`);
  await gate.waitForDisplayed({ timeout: 5000 });
  return gate.getText();
}

async function stateDetail(browser, expected) {
  await browser.waitUntil(async () => (await (await browser.$("[data-testid=change-state-detail]")).getText().catch(() => "")) === expected, {
    timeout: 8000,
    timeoutMsg: `the change should say "${expected}"`,
  });
}

test("a change drafted from its release, approved by a second person, opens the deploy gate", async () => {
  const db = freshDatabase();
  let driver = await startDriver(db, 4800);
  let browser;
  let changeId;
  try {
    browser = await openApp(driver);
    await goTo(browser, "4", "Changes");
    await (await browser.$("section[aria-label='No change requests yet']")).waitForDisplayed({ timeout: 5000 });
    await (await browser.$("button=Load sample data")).click();
    await (await browser.$("table[aria-label='Change requests']")).waitForDisplayed({ timeout: 8000 });

    // Atlas Web's change policy: who approves, authors barred, its maintenance windows.
    await goTo(browser, "6", "Products");
    await (await browser.$("button[data-policy='Atlas Web']")).click();
    const policy = await browser.$("form[data-change-policy='Atlas Web']");
    await policy.waitForDisplayed({ timeout: 5000 });
    assert.equal(await (await browser.$("li[data-policy-window='1'] select[name=day]")).getValue(), "thu");
    await dismissToasts(browser);
    await screenshot(browser, "change-policy", screenshots);
    await browser.keys("Escape");
    await noDialog(browser);

    await openRelease(browser, "2.5.0");
    assert.match(await gateText(browser, "Clear to deploy"), /no change request for this release/, "the gate asks for a change");
    await (await browser.$("[data-testid=new-change]")).click();
    const title = await browser.$("#change-title");
    await title.waitForDisplayed({ timeout: 5000 });
    await browser.waitUntil(async () => (await title.getValue()) === "Deploy Atlas Web 2.5.0 to production", {
      timeout: 5000,
      timeoutMsg: "the title comes from the release",
    });
    // A date other than the default one holds once typed (the window's date used to snap back).
    const later = localTime(3 * 24 * 60);
    await setDateTime(browser, "change-end", later);
    await (await browser.$("#change-services")).click();
    assert.equal(await (await browser.$("#change-end")).getValue(), later.slice(0, 10), "a typed end date holds");
    await setDateTime(browser, "change-start", localTime(-30));
    await setDateTime(browser, "change-end", localTime(180));
    await type(browser, "#change-services", "web, checkout");
    await (await browser.$("button=Open change request")).click();

    // The new change opens in the Changes view; its plans are drafted from the release.
    const detail = await browser.$("[data-testid=change-detail]");
    await detail.waitForDisplayed({ timeout: 8000 });
    changeId = (await (await browser.$("[data-testid=change-detail] h2 .muted")).getText()).replace("Change ", "");
    await (await browser.$("[data-testid=draft-change]")).click();
    const implementation = await browser.$("#plan-implementation_plan");
    await browser.waitUntil(async () => (await implementation.getValue()).includes("\n1. Announce the deploy start"), {
      timeout: 8000,
      timeoutMsg: "the implementation plan is drafted from the deploy phase",
    });
    assert.match(await implementation.getValue(), /^Ships Atlas Web 2\.5\.0: 10 commits from v2\.4\.1/, "and the range from git");
    assert.match(await (await browser.$("#plan-backout_plan")).getValue(), /^1\. Announce the rollback/, "the backout plan from the rollback phase");

    await (await browser.$("[data-move=assess]")).click();
    await stateDetail(browser, "Needs an approval from CAB.");
    const duty = await browser.$("[data-testid=duty]");
    await duty.waitForDisplayed({ timeout: 5000 });
    assert.match(await duty.getText(), /You requested this change, so you cannot approve it: someone else with the CAB role must\./);
    await dismissToasts(browser);
    await browser.pause(200);
    await screenshot(browser, "changes", screenshots);
    await browser.deleteSession();
    browser = null;
    driver.stop();

    // Quinn, on the same database: approves as CAB.
    driver = await startDriver(db, 4810, { RELMAN_USER: QUINN });
    browser = await openApp(driver);
    await goTo(browser, "4", "Changes");
    await (await browser.$(`tr[data-change='${changeId}'] td`)).click();
    await (await browser.$("[data-testid=approvals] form.decide button[type=submit]")).waitForDisplayed({ timeout: 5000 });
    await type(browser, "input[aria-label='Approval comment']", "Low risk, rollback rehearsed");
    await (await browser.$("[data-testid=approvals] form.decide button[type=submit]")).click();
    await stateDetail(browser, "Authorized: ready to schedule.");
    assert.match(await (await browser.$("[data-testid=approvals] li[data-role=CAB]")).getText(), /approved by Quinn Okafor/);

    // The deploy gate no longer waits for a change; the release's last steps and Ops' sign-off open it.
    await openRelease(browser, "2.5.0");
    assert.match(await gateText(browser, "Clear to deploy"), /✓ An approved change request inside its window/, "the approved change's window holds now");
    await browser.execute(() => document.querySelectorAll("[data-testid=release-detail] details").forEach((d) => (d.open = true)));
    for (const step of ["Staging sign-off", "Prepare feature flags (new features off by default)", "Go / no-go meeting"]) {
      const select = await browser.$(`select[aria-label^='State of ${step} ']`);
      await select.waitForDisplayed({ timeout: 5000 });
      await select.selectByAttribute("value", "done");
      await browser.waitUntil(async () => (await select.getValue()) === "done", { timeout: 5000 });
    }
    // Its check lists the commits that landed after the freeze: ticking it anyway needs a reason.
    const frozen = await browser.$("select[aria-label^='State of Confirm nothing landed after the code freeze ']");
    await frozen.selectByAttribute("value", "done");
    await type(browser, "li.reason input[aria-label=Reason]", "The three late commits were reviewed at the go/no-go.");
    await (await browser.$("li.reason button[type=submit]")).click();
    await browser.waitUntil(async () => (await frozen.getValue()) === "done", { timeout: 5000, timeoutMsg: "the override is saved" });
    // The built-in gate also wants the dependencies and the diff scanned, the sample's high finding accepted,
    // its CI workflow's test key marked as a false positive, and Security's sign-off.
    assert.match(await gateText(browser, "Clear to deploy"), /No known-vulnerable dependency at high or above: its dependencies were never scanned/);
    const security = await browser.$("[data-testid=release-security]");
    await (await security.$("button[data-action=scan-dependencies]")).click();
    await (await security.$("[data-testid=security-verdict]")).waitForDisplayed({ timeout: 10000 });
    await browser.waitUntil(async () => /1 known-vulnerable dependency at high or above, not accepted: orders-pdf 0\.3\.1/.test(await gateText(browser, "Clear to deploy")), {
      timeout: 5000,
      timeoutMsg: "the scan's high finding blocks the deploy gate",
    });
    const finding = await security.$("li[data-finding^='SAMPLE-2026-0001'] button[data-action=accept-finding]");
    await browser.execute((el) => el.click(), finding);
    await type(browser, "[data-finding^='SAMPLE-2026-0001'] textarea", "Attachments are switched off in 2.5.0");
    await browser.execute((el) => el.click(), await security.$("button=Accept"));
    await (await security.$("[data-accepted]")).waitForDisplayed({ timeout: 5000 });
    await browser.waitUntil(async () => /✓ No known-vulnerable dependency at high or above/.test(await gateText(browser, "Clear to deploy")), {
      timeout: 5000,
      timeoutMsg: "the accepted finding no longer blocks",
    });
    assert.match(await gateText(browser, "Clear to deploy"), /No unresolved secret finding: 1 secret in the diff, not marked as a false positive: stripe-access-token in \.github\/workflows\/e2e\.yml:7 \(sk_t…Wm4R\)/);
    await browser.execute((el) => el.click(), await security.$("li[data-secret] button[data-action=dismiss-secret]"));
    await type(browser, "[data-secret] textarea", "The payments sandbox key; test mode only");
    await browser.execute((el) => el.click(), await security.$("button=Mark as false positive"));
    await browser.waitUntil(async () => /✓ No unresolved secret finding/.test(await gateText(browser, "Clear to deploy")), {
      timeout: 5000,
      timeoutMsg: "the marked secret no longer blocks",
    });
    for (const [role, who] of [["Security", "Sam Lee"], ["Ops", "Quinn Okafor"]]) {
      await type(browser, "input[aria-label='Sign-off role']", role);
      await type(browser, "input[aria-label='Signed off by']", who);
      await (await (await browser.$("form.signoff")).$("button=Approve")).click();
      await browser.waitUntil(async () => new RegExp(`✓ Signed off by ${role}`).test(await gateText(browser, "Clear to deploy")), { timeout: 5000, timeoutMsg: `${role} signs off` });
    }
    // And the release's tag, signed by a key the clone's allowed signers list.
    assert.match(await gateText(browser, "Clear to deploy"), /Release tag signed by an allowed signer: its tag v2\.5\.0 is not in the clone/);
    await useSigningKey(browser, db);
    await openRelease(browser, "2.5.0");
    await createSignedTag(browser, "v2.5.0");
    await browser.waitUntil(async () => /✓ Release tag signed by an allowed signer/.test(await gateText(browser, "Clear to deploy")), {
      timeout: 5000,
      timeoutMsg: "the signed tag clears the gate's last criterion",
    });
    await browser.waitUntil(async () => /^Clear to deploy \(into deploying\): passes/.test(await gateText(browser, "Clear to deploy")), {
      timeout: 8000,
      timeoutMsg: "the deploy gate opens",
    });

    // Deploy mode shows the change it runs under, and that now is inside its window.
    await noDialog(browser);
    await (await browser.$("[data-testid=deploy-mode]")).click();
    const shown = await browser.$("[data-testid=deploy-change]");
    await shown.waitForDisplayed({ timeout: 5000 });
    assert.match(await shown.getText(), new RegExp(`Change ${changeId}[\\s\\S]*Authorized[\\s\\S]*inside the window`));
    await dismissToasts(browser);
    await screenshot(browser, "deploy-change");
  } finally {
    await browser?.deleteSession().catch(() => {});
    driver.stop();
  }
});
