import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Submission } from "../../../shared/domain/outcome.js";
import type { QuestionnaireDef } from "../../../shared/outcomes/instruments.js";
import { dateTime, shortDay } from "../time.js";

/**
 * [OUT6] One person's totals over time against the instrument's severity bands. Loaded on first
 * use (recharts is most of this chunk), so a participant's first screen does not carry it. The
 * chart is a picture for sighted readers; the table beside it (ScoreTable) is what a screen
 * reader reads, so the SVG is hidden from assistive technology.
 */

// Darker to lighter warmth with the band's severity: fills faint enough for the line to stay the
// loudest thing, each band also named in words on the chart.
const BAND_FILLS = ["#1d3a33", "#26392a", "#3a3520", "#3f2a1f", "#46201f"];
const LINE = "#7bb8aa";
const TEXT = "#acb2be";

export function ScoreChart(props: { def: QuestionnaireDef; submissions: Submission[]; zone: string; now: number }) {
  const { def, zone, now } = props;
  const data = props.submissions.map((s) => ({ t: Date.parse(s.at), total: s.total, visit: s.visitId }));
  const times = data.map((d) => d.t);
  const day = 86_400_000;
  // A single point still gets a readable span either side of it.
  const lo = Math.min(...times, now) - day;
  const hi = Math.max(...times, now) + day;
  return (
    <div className="q-chart" aria-hidden="true" data-testid={`chart-${def.instrument}`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 12, bottom: 8, left: 0 }} accessibilityLayer={false}>
          {def.bands.map((b, i) => (
            <ReferenceArea
              key={b.code}
              y1={b.min}
              y2={b.max === def.maxTotal ? b.max : b.max + 1}
              fill={BAND_FILLS[Math.min(i, BAND_FILLS.length - 1)]}
              fillOpacity={1}
              ifOverflow="visible"
              label={{ value: b.label, position: "insideTopRight", fill: TEXT, fontSize: 12 }}
            />
          ))}
          <CartesianGrid stroke="#2c3140" strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[lo, hi]}
            tickFormatter={(t: number) => shortDay(t, zone)}
            stroke={TEXT}
            tick={{ fill: TEXT, fontSize: 12 }}
          />
          <YAxis
            domain={[0, def.maxTotal]}
            ticks={[0, ...def.bands.map((b) => b.max)]}
            stroke={TEXT}
            tick={{ fill: TEXT, fontSize: 12 }}
            width={32}
          />
          <Tooltip
            contentStyle={{ background: "#20242e", border: "1px solid #2c3140", color: "#d8dbe2" }}
            labelFormatter={(t) => (typeof t === "number" ? dateTime(t, zone) : "")}
            formatter={(v) => [String(v), "Score"]}
          />
          <Line
            type="monotone"
            dataKey="total"
            stroke={LINE}
            strokeWidth={3}
            dot={{ r: 6, fill: LINE, stroke: "#101218", strokeWidth: 2 }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
