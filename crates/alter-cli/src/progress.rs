//! Progress bars on a terminal (quiet otherwise) and Ctrl-C as cancellation.

use alter_core::{CancelToken, ProgressSink};
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::Global;

/// A bar on stderr when it is a terminal and `--json` is off; the sink feeds it.
pub struct Bar {
    bar: Option<ProgressBar>,
    pub sink: ProgressSink,
}

impl Bar {
    pub fn new(global: &Global) -> Self {
        let on_terminal = !global.json && std::io::IsTerminal::is_terminal(&std::io::stderr());
        if !on_terminal {
            return Self { bar: None, sink: ProgressSink::none() };
        }
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{prefix:>9} {bar:30} {pos}/{len} eta {eta} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        let feed = bar.clone();
        let sink = ProgressSink::new(move |p| {
            if feed.prefix() != p.stage {
                feed.set_prefix(p.stage.clone());
                feed.reset();
            }
            feed.set_length(p.total);
            feed.set_position(p.done);
            feed.set_message(p.item.unwrap_or_default());
        });
        Self { bar: Some(bar), sink }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A token that Ctrl-C cancels.
pub fn cancel_on_ctrl_c() -> CancelToken {
    let cancel = CancelToken::new();
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
    cancel
}
