"""Fitting the paraphrase classifier: logistic regression, threshold search, metrics.

Used by :mod:`bench.bench_mrpc` to fit ``analysis/data/paraphrase_model.json``
and to run the pre-registered protocol; the kit itself only predicts with the
shipped coefficients (:func:`analysis.overlap.paraphrase.predict_proba`).
"""

from __future__ import annotations

import numpy as np


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Fit an L2-regularised logistic regression on standardised features.

    Parameters
    ----------
    x : numpy.ndarray
        (n, k) feature matrix.
    y : numpy.ndarray
        (n,) labels 0/1.
    l2 : float
        Penalty on the squared weights (not the bias), in units of one sample's loss.

    Returns
    -------
    tuple
        ``(mean, scale, weights, bias)``; predict with
        ``sigmoid(((x - mean) / scale) @ weights + bias)``.
    """
    from scipy.optimize import minimize

    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim != 2 or len(x) != len(y) or len(y) == 0:
        raise ValueError("x must be (n, k) and y (n,) with n > 0")
    if not set(np.unique(y)) <= {0.0, 1.0}:
        raise ValueError("y must hold 0/1 labels")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale

    def loss(params):
        w, b = params[:-1], params[-1]
        logits = z @ w + b
        # log(1 + e^t) - y t, computed stably
        value = np.sum(np.logaddexp(0.0, logits) - y * logits) + 0.5 * l2 * (w @ w)
        p = 1.0 / (1.0 + np.exp(-logits))
        grad_w = z.T @ (p - y) + l2 * w
        return value, np.append(grad_w, np.sum(p - y))

    result = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B",
                      options={"maxiter": 1000, "gtol": 1e-9})
    return mean, scale, result.x[:-1], float(result.x[-1])


def best_threshold(probabilities: np.ndarray, labels: np.ndarray, criterion: str = "accuracy") -> float:
    """Decision threshold that maximises ``criterion`` (ties: the lowest such threshold).

    Parameters
    ----------
    probabilities, labels : numpy.ndarray
    criterion : {"accuracy", "accuracy+f1"}
        What to maximise: accuracy alone, or the sum of accuracy and F1 (the
        rule of the pre-registered protocol in ``bench/bench_mrpc.py``).

    Notes
    -----
    Candidates are 0, 1 and the midpoints between consecutive distinct
    probabilities (rounded to 4 decimals).
    """
    if criterion not in ("accuracy", "accuracy+f1"):
        raise ValueError(f"criterion must be 'accuracy' or 'accuracy+f1', got {criterion!r}")
    p = np.asarray(probabilities, dtype=np.float64)
    y = np.asarray(labels, dtype=np.int64)
    grid = np.unique(np.round(p, 4))
    candidates = np.concatenate([[0.0], (grid[:-1] + grid[1:]) / 2, [1.0]])
    scores = []
    for t in candidates:
        metrics = accuracy_f1(p >= t, y)
        scores.append(metrics["accuracy"] + (metrics["f1"] if criterion == "accuracy+f1" else 0.0))
    return round(float(candidates[int(np.argmax(scores))]), 4)


def accuracy_f1(predicted: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Accuracy and F1 (positive class: paraphrase) of boolean predictions."""
    pred = np.asarray(predicted, dtype=bool)
    y = np.asarray(labels, dtype=bool)
    tp = int(np.sum(pred & y))
    precision = tp / max(int(pred.sum()), 1)
    recall = tp / max(int(y.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"accuracy": float(np.mean(pred == y)), "f1": float(f1)}
