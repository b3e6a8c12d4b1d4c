import { useEffect, useState } from "react";
import { useHiddenTabNotifications } from "./hidden.js";
import { subscribePush } from "./push.js";
import { notificationsSupported, workerRegistration } from "./worker.js";
import "./notify.css";

type Choice = "on" | "off";

/** The person's answer on this browser, per user id: asked once, never again. */
const choiceKey = (userId: string) => `holdspace:notifications:${userId}`;

function readChoice(userId: string): Choice | null {
  const v = localStorage.getItem(choiceKey(userId));
  return v === "on" || v === "off" ? v : null;
}

function browserPermission(): NotificationPermission {
  return notificationsSupported() ? Notification.permission : "denied";
}

/**
 * [LIVE6] For staff (Shell.tsx): one prompt, once, to get alert notifications while this tab is
 * hidden or the screen is off, with the reason; then the worker, Web Push when the server has it,
 * and the hidden-tab notifications. "Not now" is remembered too — it never asks again, and a
 * browser that blocks notifications is never nagged.
 */
export function NotificationsPrompt(props: { userId: string }) {
  const { userId } = props;
  const [choice, setChoice] = useState<Choice | null>(() => readChoice(userId));
  const [permission, setPermission] = useState<NotificationPermission>(browserPermission);
  const active = choice === "on" && permission === "granted";

  useEffect(() => {
    if (!active) return;
    let gone = false;
    void workerRegistration().then(async (reg) => {
      if (reg !== null && !gone) await subscribePush(reg);
    });
    return () => {
      gone = true;
    };
  }, [active]);
  useHiddenTabNotifications(active);

  const answer = (c: Choice) => {
    localStorage.setItem(choiceKey(userId), c);
    setChoice(c);
  };
  const turnOn = async () => {
    answer("on");
    // Registered first so the worker is ready by the time the browser answers.
    void workerRegistration();
    setPermission(await Notification.requestPermission());
  };

  if (choice !== null || permission === "denied" || !notificationsSupported()) return null;
  return (
    <section className="notify-prompt" aria-labelledby="notify-prompt-title" data-testid="notifications-prompt">
      <div>
        <h2 id="notify-prompt-title">Get alerts when this tab is hidden</h2>
        <p className="muted">
          If someone needs support while this tab is hidden or the screen is off, you get a notification that names no
          one.
        </p>
      </div>
      <div className="notify-actions">
        <button type="button" className="primary" onClick={() => void turnOn()}>
          Turn on notifications
        </button>
        <button type="button" className="quiet" onClick={() => answer("off")}>
          Not now
        </button>
      </div>
    </section>
  );
}
