//! Documents to cited knowledge: parsers, structure-aware chunking, embeddings, and the hybrid retrieval store.
