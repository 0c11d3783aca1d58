"""Orchestration and presentation: pipeline, narrative, render, publishing, running, manifests, batches."""
