/**
 * The owner's voice samples, each with its quality meter and advice, and
 * recording a new one with a live level meter.
 *
 * The meter's scale: −60 dBFS (nothing) to 0 dBFS (full scale); speech is
 * best between about −30 and −10 dBFS, which is shaded as the target band.
 */
import type { QualityView, SampleView } from "../bindings";
import { t } from "../i18n";
import type { Recording } from "../materials";
import { formatBytes } from "../format";

const FLOOR_DB = -60;

/** A level in dBFS as a 0…100 position on the meter. */
export function meterPercent(dbfs: number): number {
  if (!Number.isFinite(dbfs)) return 0;
  return Math.round(Math.min(100, Math.max(0, ((dbfs - FLOOR_DB) / -FLOOR_DB) * 100)));
}

function Meter({ dbfs, label, testid }: { dbfs: number; label: string; testid: string }) {
  const value = meterPercent(dbfs);
  return (
    <div
      class="meter"
      role="meter"
      aria-label={label}
      aria-valuemin={FLOOR_DB}
      aria-valuemax={0}
      aria-valuenow={Math.round(Math.max(FLOOR_DB, dbfs))}
      aria-valuetext={`${Math.round(dbfs)} dBFS`}
      data-testid={testid}
      data-value={value}
    >
      <div class="meter-target" />
      <div class={`meter-fill${dbfs > -3 ? " meter-hot" : ""}`} style={{ width: `${value}%` }} />
    </div>
  );
}

function Quality({ q }: { q: QualityView }) {
  return (
    <div class="quality">
      <Meter dbfs={q.speech_dbfs} label={t("create.voice.loudness")} testid="sample-meter" />
      <div class="file-meta">
        {t("create.voice.facts", {
          seconds: q.seconds.toFixed(1),
          loudness: Math.round(q.speech_dbfs),
          // Above 60 dB the noise is below anything a microphone picks up (a studio or synthetic take).
          snr: q.snr_db >= 60 ? "60+" : Math.round(q.snr_db),
          speech: Math.round(q.speech_ratio * 100),
        })}
      </div>
      {q.advice.length > 0 && (
        <ul class="advice" data-testid="sample-advice">
          {q.advice.map((a) => (
            <li key={a.kind} data-kind={a.kind}>
              {a.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function SampleList(props: { samples: SampleView[]; busy: boolean; onRemove: (name: string) => void }) {
  const { samples, busy, onRemove } = props;
  if (samples.length === 0) {
    return (
      <p class="muted empty-list" data-testid="no-samples">
        {t("create.voice.empty")}
      </p>
    );
  }
  return (
    <ul class="file-list" data-testid="sample-list">
      {samples.map((s) => {
        const usable = s.quality?.usable === true;
        return (
          <li key={s.name} class="file-row" data-testid="sample-row" data-name={s.name} data-usable={String(usable)}>
            <span class="file-kind kind-audio" aria-hidden="true">
              ♪
            </span>
            <div class="file-main">
              <div class="file-name" title={s.name}>
                {s.name} <span class="file-meta">· {formatBytes(s.bytes)}</span>
              </div>
              {s.quality ? <Quality q={s.quality} /> : <div class="file-meta">{s.error}</div>}
            </div>
            <span class={`file-status ${usable ? "status-ready" : "status-warn"}`}>
              {t(usable ? "create.voice.usable" : "create.voice.unusable")}
            </span>
            <button
              type="button"
              class="icon-button"
              aria-label={t("create.remove", { name: s.name })}
              title={t("create.remove", { name: s.name })}
              disabled={busy}
              onClick={() => onRemove(s.name)}
              data-testid="remove-sample"
            >
              ×
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export function RecordingMeter({ recording }: { recording: Recording }) {
  return (
    <div class="recording" role="status" data-testid="recording">
      <span class="rec-dot" aria-hidden="true" />
      <span class="rec-time">{t("create.voice.recordingFor", { seconds: Math.floor(recording.seconds) })}</span>
      <Meter dbfs={recording.dbfs} label={t("create.voice.liveLevel")} testid="live-meter" />
      {recording.peak >= 0.99 && <span class="status-warn">{t("create.voice.clipping")}</span>}
    </div>
  );
}
