// The Problems screen's controller: reads the sync's open problems, retries, dismisses (with a
// word on what dismissing means), and opens an item in Outlook on the web through the Rust side.

import { ipc, type ProblemEntry, type ServiceError } from "./ipc";
import { problemHeading, type FixScreen } from "./problem-format";
import { ProblemsScreenView } from "./views/problems";

export interface ProblemsScreenDeps {
  /** Runs one of the window's own calls (so the app's busy state is not taken for the tray's). */
  track: <T>(call: () => Promise<T>) => Promise<T>;
  onRetry: () => void;
  onOpenItems: (calendar: string) => void;
  onFix: (screen: FixScreen) => void;
  onOpenSettings: () => void;
  onSignInAgain: () => void;
}

export class ProblemsScreen {
  readonly view: ProblemsScreenView;
  /** Only the answer to the latest read is shown. */
  private loadSeq = 0;
  /** The item to bring into view once the list is read (a click on a notification). */
  private pending: { owner: string; id: string } | null | undefined = undefined;

  constructor(private readonly deps: ProblemsScreenDeps) {
    this.view = new ProblemsScreenView({
      onRefresh: () => void this.load(false),
      onRetry: () => this.retry(),
      onDismiss: (p) => void this.dismiss(p),
      onOpenInOutlook: (p) => void this.openInOutlook(p),
      onOpenItems: deps.onOpenItems,
      onFix: deps.onFix,
      onOpenSettings: deps.onOpenSettings,
      onSignInAgain: deps.onSignInAgain,
    });
  }

  /** Show the problem about this item (null: the first one) once the next read is done. */
  revealAfterLoad(item: { owner: string; id: string } | null): void {
    this.pending = item;
  }

  /** Read the open problems; `quiet` keeps the list while it reads. */
  async load(quiet: boolean): Promise<void> {
    const seq = ++this.loadSeq;
    if (!quiet) {
      this.view.setProblems(null);
      this.view.setError(null);
    }
    this.view.setBusy("Reading the sync's problems…");
    try {
      const problems = await this.deps.track(() => ipc.listProblems());
      if (seq !== this.loadSeq) return;
      this.view.setError(null);
      this.view.setProblems(problems);
      if (this.pending !== undefined) {
        this.view.reveal(this.pending);
        this.pending = undefined;
      }
    } catch (e) {
      if (seq !== this.loadSeq) return;
      this.view.setError(e as ServiceError);
    } finally {
      if (seq === this.loadSeq) this.view.setBusy(null);
    }
  }

  private retry(): void {
    this.view.setNotice("Syncing now. Problems whose cause is gone leave this list when the sync ends.");
    this.deps.onRetry();
  }

  private async dismiss(p: ProblemEntry): Promise<void> {
    const index = [...document.querySelectorAll<HTMLElement>("#problems .problem-entry")].findIndex(
      (el) => el.dataset.problemId === p.id,
    );
    try {
      await this.deps.track(() => ipc.dismissProblem(p.id));
      this.view.setError(null);
      this.view.setNotice(`Dismissed “${problemHeading(p)}”. You will hear of it again only if something about it changes.`);
      await this.load(true);
      this.view.elementAfter(index).focus();
    } catch (e) {
      this.view.setError(e as ServiceError);
    }
  }

  private async openInOutlook(p: ProblemEntry): Promise<void> {
    try {
      await this.deps.track(() => ipc.openProblemInOutlook(p.id));
    } catch (e) {
      this.view.setError(e as ServiceError);
    }
  }
}
