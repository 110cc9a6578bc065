// A one-line download progress bar on stderr, drawn only when stderr is a terminal.

export interface ProgressSink {
  update(bytes: number): void;
  done(): void;
}

const SILENT: ProgressSink = { update() {}, done() {} };

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** A progress bar for `label`, or a silent sink when `enabled` is false or stderr is not a TTY. */
export function progressBar(label: string, total: number | undefined, enabled: boolean): ProgressSink {
  const stream = process.stderr;
  if (!enabled || !stream.isTTY) return SILENT;
  let lastDrawn = '';
  const draw = (bytes: number) => {
    let line: string;
    if (total && total > 0) {
      const frac = Math.min(1, bytes / total);
      const width = 24;
      const filled = Math.round(frac * width);
      line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(frac * 100)}% ${mb(bytes)}/${mb(total)} MB`;
    } else {
      line = `${label} ${mb(bytes)} MB`;
    }
    if (line !== lastDrawn) stream.write(`\r${line}\x1b[K`); // redraw only when the text changes
    lastDrawn = line;
  };
  return {
    update: draw,
    done() {
      if (lastDrawn) stream.write('\n');
    },
  };
}
