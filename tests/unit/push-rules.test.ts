import { describe, expect, it } from "vitest";
import { AlertKind } from "../../shared/domain/alerts.js";
import { alertPushPayload } from "../../shared/domain/push-payload.js";
import { PushPayload } from "../../shared/protocol/push.js";
import { DEFAULT_ENDPOINT_RULE, endpointAllowed } from "../../server/push/endpoint-rule.js";

describe("web push rules", () => {
  it("[AC5] (SSRF) only https on the default port to a browser push service; the local test service only when allowed", () => {
    const allowed = [
      "https://fcm.googleapis.com/fcm/send/abc",
      "https://updates.push.services.mozilla.com/wpush/v2/abc",
      "https://web.push.apple.com/abc",
      "https://wns2-by3p.notify.windows.com/w/?token=abc",
    ];
    for (const e of allowed) expect(endpointAllowed(e, DEFAULT_ENDPOINT_RULE), e).toBe(true);
    const refused = [
      "http://fcm.googleapis.com/fcm/send/abc",
      "https://fcm.googleapis.com:8443/x",
      "https://user:pw@fcm.googleapis.com/x",
      "https://evilfcm.googleapis.com.example/x",
      "https://notfcm.googleapis.co/x",
      "https://[::1]/x",
      "https://127.0.0.1/x",
      "http://127.0.0.1:9000/push/d1",
      "file:///etc/passwd",
      "not a url",
    ];
    for (const e of refused) expect(endpointAllowed(e, DEFAULT_ENDPOINT_RULE), e).toBe(false);
    const tests = { ...DEFAULT_ENDPOINT_RULE, allowLocal: true };
    expect(endpointAllowed("http://127.0.0.1:9000/push/d1", tests)).toBe(true);
    expect(endpointAllowed("http://localhost:9000/push/d1", tests)).toBe(false);
    expect(endpointAllowed("http://127.0.0.1.nip.io:9000/x", tests)).toBe(false);
  });

  it("[LIVE6][OUT2][REC3] every alert kind's notification is generic: where to answer it and the alert id, nothing else", () => {
    for (const kind of AlertKind.options) {
      for (const reason of ["raised", "escalated"] as const) {
        const p = PushPayload.parse(
          alertPushPayload({ sessionId: "s 1", cohortId: "c 1", alertId: "a1", kind }, reason),
        );
        // A questionnaire's safety alert is answered on the cohort's outcomes page; the rest in the session.
        expect(p.url).toBe(kind === "selfharm" ? "/cohort/c%201/outcomes" : "/session/s%201");
        expect(`${p.title} ${p.body}`).not.toMatch(/harm|suicid|dead|PHQ|QIDS|item|score/i);
        expect(p.tag).toBe("a1");
        expect(p.title.startsWith("Holdspace: ")).toBe(true);
        expect(`${p.title} ${p.body}`).not.toMatch(/vital|blood|pressure|heart|ratio|break|check-in/i);
      }
    }
  });
});
