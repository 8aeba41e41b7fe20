"""NLP stage: spaCy pipeline with dyad's components; Doc → sentences and mentions."""

from dyad.nlp.pipeline import annotate, load_pipeline

__all__ = ["annotate", "load_pipeline"]
