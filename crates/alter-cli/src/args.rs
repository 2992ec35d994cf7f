//! Command-line arguments. Names and shapes are a contract: add, never rename.

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "alter", version, about = "Alter: build and talk to a digital twin of yourself, offline.")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Print one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lists twins, or manages them.
    Twins(TwinsArgs),
    /// Retrieval only: ranked chunks of a twin's documents with file, page/section and score.
    Search(SearchArgs),
    /// Reads a folder of documents into a twin's knowledge (incremental; part of `build`).
    Ingest(IngestArgs),
    /// Fetches, lists, verifies and imports models.
    Models(ModelsArgs),
    /// Speech recognition alone: prints the text of an audio file.
    Transcribe(TranscribeArgs),
    /// Speech synthesis alone: speaks text into a WAV file (in the twin's tuned voice with --twin).
    Say(SayArgs),
}

#[derive(Debug, Args)]
pub struct SayArgs {
    /// The text to speak.
    pub text: String,
    /// Where to write the WAV file.
    #[arg(long)]
    pub out: std::path::PathBuf,
    /// Speak with this twin's tuned voice.
    #[arg(long)]
    pub twin: Option<String>,
    /// neutral, happy, concerned, sad or surprised.
    #[arg(long)]
    pub emotion: Option<String>,
    /// Speaking pace: above 1 is slower (default: the voice's own).
    #[arg(long)]
    pub length_scale: Option<f32>,
    /// Pitch shift in semitones.
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub pitch: f32,
    /// Loudness factor.
    #[arg(long, default_value_t = 1.0)]
    pub volume: f32,
    /// Speaker name of a multi-speaker voice.
    #[arg(long)]
    pub speaker: Option<String>,
    /// Speak what the voice can and skip the rest (e.g. Chinese with an English-only voice).
    #[arg(long)]
    pub speak_rest: bool,
}

#[derive(Debug, Args)]
pub struct TranscribeArgs {
    /// Audio file (WAV, MP3, FLAC, OGG/Vorbis, M4A/AAC).
    pub file: std::path::PathBuf,
    /// Language: en, zh or auto (detected).
    #[arg(long)]
    pub language: Option<String>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The twin's id.
    #[arg(long)]
    pub twin: String,
    /// What to look for, in any language.
    pub query: String,
    /// How many results.
    #[arg(short, long, default_value_t = 5)]
    pub k: usize,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// The twin's id.
    #[arg(long)]
    pub twin: String,
    /// Folder of documents (PDF, DOCX, PPTX, XLSX, CSV, Markdown, HTML, text).
    pub dir: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct TwinsArgs {
    #[command(subcommand)]
    pub action: Option<TwinsAction>,
}

#[derive(Debug, Subcommand)]
pub enum TwinsAction {
    /// Lists twins (the default).
    List,
    /// Creates an empty twin.
    Create {
        /// Display name, e.g. "Maya Okafor".
        #[arg(long)]
        name: String,
        /// Explicit id (lowercase letters, digits, '-', '_'); derived from the name otherwise.
        #[arg(long)]
        id: Option<String>,
        #[arg(long, default_value = "")]
        role: String,
    },
    /// Shows one twin.
    Show { id: String },
    /// Erases a twin and all its data.
    Delete { id: String },
}

#[derive(Debug, Args)]
pub struct ModelsArgs {
    #[command(subcommand)]
    pub action: Option<ModelsAction>,
}

#[derive(Debug, Subcommand)]
pub enum ModelsAction {
    /// Lists catalog models and whether they are installed (the default).
    List,
    /// Provisions models into ALTER_MODELS_DIR (idempotent; verifies hashes).
    Fetch {
        /// Only these model ids (default: every built-in model).
        #[arg(long = "only", value_name = "ID")]
        only: Vec<String>,
    },
    /// Hashes every installed file and compares it with the catalog.
    Verify,
    /// Checks a GGUF, whisper ggml or Piper voice file and adds it to the user catalog.
    Import {
        path: std::path::PathBuf,
        /// Id for the catalog (derived from the file name otherwise).
        #[arg(long)]
        id: Option<String>,
    },
}
