// A one-line download progress bar on stderr, drawn only when stderr is a terminal.

export interface ProgressSink {
  update(bytes: number): void;
  done(): void;
}

const SILENT: ProgressSink = { update() {}, done() {} };

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** The part of a stream the bar needs (process.stderr, or a stand-in in tests). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** A progress bar for `label`, or a silent sink when `enabled` is false or the stream is not a TTY. */
export function progressBar(label: string, total: number | undefined, enabled: boolean, stream: ProgressStream = process.stderr): ProgressSink {
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
