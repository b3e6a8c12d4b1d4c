import { useCallback, useEffect, useState } from "react";
import { z } from "zod";
import { MySchedule } from "../../../shared/protocol/admin-views.js";
import { http } from "./http.js";
import { ScheduleView } from "./ScheduleView.js";
import { CohortWatch } from "./CohortWatch.js";
import { PageHeading } from "../PageHeading.js";

const FeedUrl = z.object({ url: z.string().nullable() });

/** /my/schedule — the person's own sessions, and their private calendar feed [SCH9]. */
export function MySchedulePage(props: { participant: boolean; cohortIds: readonly string[] }) {
  const [data, setData] = useState<MySchedule | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [feed, setFeed] = useState<string | null>(null);
  // Re-read on every change to one of the person's cohorts, so the page is live like the rest.
  const load = useCallback(() => {
    void http("GET", "/api/me/schedule", MySchedule).then((r) => (r.ok ? setData(r.data) : setError(r.error.message)));
  }, []);
  useEffect(() => {
    load();
    void http("GET", "/api/calendar-feed", FeedUrl).then((r) => r.ok && setFeed(r.data.url));
  }, [load]);
  const change = async (method: "POST" | "DELETE") => {
    const r = await http(method, "/api/calendar-feed", FeedUrl);
    if (r.ok) setFeed(r.data.url);
    else setError(r.error.message);
  };
  return (
    <main className={props.participant ? "page dim" : "page"} data-testid="my-schedule">
      {props.cohortIds.map((id) => (
        <CohortWatch key={id} cohortId={id} onChange={load} />
      ))}
      <PageHeading title="My schedule" />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {data ? (
        <ScheduleView sessions={data.sessions} programZone={data.zone} />
      ) : (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      <section className="card">
        <h2>Calendar feed</h2>
        <p className="muted small">
          A private address your calendar app can subscribe to. It shows times only, never what a session is about.
          Anyone with the address can see your times, so you can turn it off.
        </p>
        {feed ? (
          <>
            <input
              readOnly
              value={feed}
              aria-label="Your private calendar address"
              data-testid="feed-url"
              onFocus={(e) => e.target.select()}
            />
            <div className="staff-actions">
              <button type="button" onClick={() => void change("POST")}>
                Make a new address
              </button>
              <button type="button" onClick={() => void change("DELETE")} data-testid="feed-revoke">
                Turn off
              </button>
            </div>
          </>
        ) : (
          <button type="button" onClick={() => void change("POST")} data-testid="feed-create">
            Create my calendar address
          </button>
        )}
      </section>
    </main>
  );
}
