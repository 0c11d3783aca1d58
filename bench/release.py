"""The previous release's benchmark numbers, printed beside today's.

Release 0.1.0 (2026-11-21, commit c50eb56; README "Measured"): COUNTER with
the relation of that release (unquoted containment in shared passages of six
or more words, thresholds PD 0.035 / WD 0.545 chosen on the even-numbered
pairs, scored on the odd-numbered ones: derived F1 0.759, 3-class macro F1
0.613 re-measured by that bench on the same code path); MRPC test with the
paraphrase model fitted on MRPC train only (accuracy 0.7728, F1 0.8357, as
recorded in ``analysis/data/paraphrase_model.json``).
"""

PREVIOUS_RELEASE = {"version": "0.1.0", "counter_derived_f1": 0.759, "counter_macro_f1": 0.613,
                    "mrpc_accuracy": 0.7728, "mrpc_f1": 0.8357}
