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
    /// Builds (or rebuilds incrementally) a twin from a folder with docs/, voice/ and an optional twin.toml.
    Build(BuildArgs),
    /// Asks a twin a question; prints its answer with citations.
    Ask(AskArgs),
    /// The voice loop on files: a spoken question in, the spoken answer out.
    Talk(TalkArgs),
    /// Scores a twin on a question set (hit@k, accuracy, citations, declines, latency).
    Eval(EvalArgs),
    /// Runs the benchmarks (models, retrieval, asr, tts, llm), each beside its baseline.
    Bench(BenchArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Folder laid out as docs/, voice/ and an optional twin.toml.
    pub dir: std::path::PathBuf,
    /// Display name (overrides twin.toml; defaults to the folder's name).
    #[arg(long)]
    pub name: Option<String>,
    /// Build into this twin id (created when missing); otherwise derived from the name.
    #[arg(long)]
    pub id: Option<String>,
    /// Redo every stage instead of only what changed.
    #[arg(long)]
    pub full: bool,
    /// Questions from the documents in the self-test (two the documents cannot
    /// answer are added); 0 skips the self-test.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub selftest: usize,
}

#[derive(Debug, Args)]
pub struct AskArgs {
    /// The twin's id.
    #[arg(long)]
    pub twin: String,
    /// The question, in English or Chinese.
    pub question: String,
    /// Conversation session, so follow-up questions see earlier turns.
    #[arg(long)]
    pub session: Option<String>,
}

#[derive(Debug, Args)]
pub struct TalkArgs {
    /// The twin's id.
    #[arg(long)]
    pub twin: String,
    /// The spoken question (WAV, MP3, FLAC, OGG/Vorbis, M4A/AAC).
    #[arg(long = "in")]
    pub input: std::path::PathBuf,
    /// Where to write the spoken reply (WAV).
    #[arg(long)]
    pub out: std::path::PathBuf,
    /// Language of the question: en, zh or auto (detected).
    #[arg(long)]
    pub language: Option<String>,
    /// Conversation session, so follow-up questions see earlier turns.
    #[arg(long)]
    pub session: Option<String>,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// One benchmark: models, retrieval, asr, tts or llm (default: all of them).
    pub name: Option<String>,
    /// Evaluation folder for retrieval quality and speech accuracy (docs/, questions.jsonl, audio/).
    #[arg(long, value_name = "DIR")]
    pub eval: Option<std::path::PathBuf>,
    /// Skip the baselines that need software installed from PyPI (piper-tts, llama-cpp-python).
    #[arg(long)]
    pub no_baseline: bool,
    /// Chunk counts for the retrieval latency table.
    #[arg(long, value_delimiter = ',', default_value = "10000,100000")]
    pub sizes: Vec<usize>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The twin's id.
    #[arg(long)]
    pub twin: String,
    /// Questions, one JSON object a line (id, lang, question, expect_any, source, answerable).
    pub questions: std::path::PathBuf,
    /// Folder of spoken questions named <id>.wav, scored again through recognition.
    #[arg(long)]
    pub audio: Option<std::path::PathBuf>,
    /// Ask the typed questions again, each after its prompt was prefilled from
    /// the question less its last word (as the captions of a spoken question
    /// lead it): the time from the question's text to the first sentence with
    /// anticipatory prefill.
    #[arg(long)]
    pub anticipate: bool,
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
