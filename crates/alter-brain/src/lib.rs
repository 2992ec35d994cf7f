//! Grounded answering as the owner: prompts, citations, declining, memory and emotion.
