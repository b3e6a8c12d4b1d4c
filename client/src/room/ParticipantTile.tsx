import type { Alert } from "../../../shared/domain/alerts.js";
import type { ParticipantLive } from "../../../shared/domain/live.js";
import { vitalsAlarming } from "../../../shared/domain/live-rules.js";
import type { Checkin } from "../../../shared/domain/session.js";
import type { RuleProfile } from "../../../shared/profiles/index.js";
import type { PublicUser } from "../../../shared/protocol/events.js";
import type { ReadinessView, ReleaseView } from "../../../shared/protocol/live.js";
import type { PresenceState } from "../../../shared/protocol/presence.js";
import { ago, clock } from "../time.js";
import { ALERT_LABEL, STATUS_LABEL } from "./labels.js";
import { PresenceBadge } from "./PresenceBadge.js";
import { earliestFor } from "./release-time.js";
import "./room.css";
import "./participant.css";

export type TileAction = "admit" | "dose" | "vitals" | "adverse" | "release";

export interface TileProps {
  person: PublicUser;
  presence: PresenceState;
  checkin: Checkin | undefined;
  live: ParticipantLive | undefined;
  profile: RuleProfile | null;
  readiness: ReadinessView | undefined;
  /** [LIVE10][LIVE2] The plan on file and whether they are a returning client. */
  releaseView?: ReleaseView | undefined;
  /** When the session ended, if it has: timers stop there. */
  endedAt?: string | null;
  alerts: Alert[];
  lookIn: boolean;
  now: number;
  onAction: (a: TileAction) => void;
}

/** "2 h 05 min" since an instant. */
function elapsed(iso: string, now: number): string {
  const min = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, "0")} min`;
}

/**
 * One participant at a glance [LIVE1][LIVE2][LIVE5][LIVE7][LIVE8]: presence, latest check-in and
 * its age, dose and timing, earliest release, flags, open alerts — and the actions on them.
 */
export function ParticipantTile(props: TileProps) {
  const { person, presence, checkin, live, profile, now } = props;
  const status = checkin?.status ?? "none";
  const released = live?.release ?? null;
  const admitted = live?.admittedSeq !== null && live?.admittedSeq !== undefined;
  const { at: earliest, returning } = earliestFor(live, profile, props.releaseView);
  const alarming = live?.vitals && profile ? vitalsAlarming(live.vitals, profile) : false;
  // Timers stop when the person is released or the session ends: what they measured is over.
  const stopAt = released ? Date.parse(released.at) : props.endedAt ? Date.parse(props.endedAt) : null;
  const until = stopAt === null ? now : Math.min(now, stopAt);
  const urgent = props.alerts.length > 0;
  return (
    <li
      className={`tile status-${status} presence-${presence}${urgent ? " has-alert" : ""}${released ? " released" : ""}`}
      data-testid={`tile-${person.id}`}
      data-status={status}
      data-presence={presence}
    >
      <div className="tile-head">
        <span className="name">{person.name}</span>
        <PresenceBadge userId={person.id} state={presence} />
      </div>
      {props.alerts.map((a) => (
        <p key={a.id} className="tile-alert" data-testid={`tile-alert-${person.id}`}>
          <span aria-hidden="true">⚠ </span>
          {ALERT_LABEL[a.kind]} · {ago(a.raisedAt, now)}
        </p>
      ))}
      <div className="checkin" data-testid={`checkin-${person.id}`} data-status={status}>
        {checkin ? (
          <>
            <span className="status-label">
              {checkin.status === "need_support" && <span aria-hidden="true">⚠ </span>}
              {STATUS_LABEL[checkin.status]}
            </span>
            {checkin.intensity !== null && <span className="intensity"> · intensity {checkin.intensity}/10</span>}
            {checkin.text && <p className="note">“{checkin.text}”</p>}
            <time
              className="age muted"
              dateTime={checkin.at}
              title={clock(checkin.at)}
              data-testid={`checkin-age-${person.id}`}
            >
              checked in {ago(checkin.at, now)}
            </time>
          </>
        ) : (
          <span className="muted">No check-in yet</span>
        )}
      </div>
      {props.lookIn && !released && (
        <p className="flag" data-testid={`lookin-${person.id}`}>
          ◔ Look in on them — no answer to the last prompts
        </p>
      )}
      <dl className="facts">
        {live && live.doses.length > 0 && live.firstDoseAt ? (
          <>
            <dt>Dose</dt>
            <dd data-testid={`dose-${person.id}`}>
              {live.totalMg} mg total ({live.doses.length} dose{live.doses.length === 1 ? "" : "s"})
            </dd>
            <dt>First dose</dt>
            <dd>{clock(live.firstDoseAt)}</dd>
            <dt>Elapsed</dt>
            <dd data-testid={`elapsed-${person.id}`}>
              {elapsed(live.firstDoseAt, until)}
              {stopAt !== null && <span className="muted"> (stopped)</span>}
            </dd>
          </>
        ) : (
          admitted && (
            <>
              <dt>Dose</dt>
              <dd className="muted">None yet</dd>
            </>
          )
        )}
        {live?.vitals && (
          <>
            <dt>Vitals</dt>
            <dd className={alarming ? "flag-strong" : undefined} data-testid={`vitals-${person.id}`}>
              {alarming && <span aria-hidden="true">⚠ </span>}
              {live.vitals.systolic}/{live.vitals.diastolic} · pulse {live.vitals.heartRate} ·{" "}
              {ago(live.vitals.at, until)}
              {alarming && " (at the alert limit)"}
            </dd>
          </>
        )}
        {live && live.adverseCount > 0 && (
          <>
            <dt>Adverse events</dt>
            <dd>{live.adverseCount}</dd>
          </>
        )}
      </dl>
      {live?.vitals?.implausible && !released && (
        <p className="remeasure" data-testid={`remeasure-${person.id}`}>
          <span aria-hidden="true">↻ </span>Measure again: {live.vitals.implausible}
        </p>
      )}
      {!released && earliest && (
        <p
          className={Date.parse(earliest) <= now ? "release-time reached" : "release-time"}
          data-testid={`earliest-${person.id}`}
        >
          {Date.parse(earliest) <= now ? "Can be released — earliest was " : "Earliest release "}
          <time dateTime={earliest}>{clock(earliest)}</time>
          {returning && <span className="muted"> · returning client</span>}
        </p>
      )}
      {released ? (
        <p className="muted small" data-testid={`released-${person.id}`}>
          Released {clock(released.at)} with {released.transportBy}
          {released.planConfirmed ? " (as planned)" : " (changed from the plan)"}
          {released.medicalTransferReason ? " · medical transfer" : ""}
        </p>
      ) : admitted ? (
        <div className="tile-actions">
          <button
            type="button"
            onClick={() => {
              props.onAction("dose");
            }}
            data-testid={`action-dose-${person.id}`}
          >
            Dose
          </button>
          <button
            type="button"
            onClick={() => {
              props.onAction("vitals");
            }}
            data-testid={`action-vitals-${person.id}`}
          >
            Vitals
          </button>
          <button
            type="button"
            onClick={() => {
              props.onAction("adverse");
            }}
            data-testid={`action-adverse-${person.id}`}
          >
            Adverse event
          </button>
          <button
            type="button"
            onClick={() => {
              props.onAction("release");
            }}
            data-testid={`action-release-${person.id}`}
          >
            Release
          </button>
        </div>
      ) : (
        <Admission
          readiness={props.readiness}
          onAdmit={() => {
            props.onAction("admit");
          }}
          personId={person.id}
        />
      )}
    </li>
  );
}

/** [RDY1] Not admitted yet: admit if Ready, otherwise each missing item by name. */
function Admission(props: { readiness: ReadinessView | undefined; onAdmit: () => void; personId: string }) {
  const r = props.readiness;
  if (!r) return <p className="muted small">Not admitted yet · checking readiness…</p>;
  if (!r.ready) {
    return (
      <div className="not-ready" data-testid={`not-ready-${props.personId}`}>
        <p className="small">
          <strong>Not ready for dosing:</strong>
        </p>
        <ul className="small">
          {r.missing.map((m) => (
            <li key={m.item + m.label}>{m.label}</li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className="tile-actions">
      <span className="muted small">Not admitted yet · Ready</span>
      <button type="button" className="primary" onClick={props.onAdmit} data-testid={`action-admit-${props.personId}`}>
        Admit to session
      </button>
      {r.flags.length > 0 && <p className="small muted">Review flags: {r.flags.join(", ")}</p>}
    </div>
  );
}
