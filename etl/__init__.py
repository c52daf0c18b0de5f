"""Extract, validate and load datasets in the shape of the data contract.

The read side (``read``, ``normalise``, ``stage``, ``validate``,
``warnings_rules``, ``anonymity``, ``messages``) turns a folder, zip or
workbook into typed frames and a list of problems without touching the
database; ``etl.dataset.read_and_validate`` is its single entry point.
"""
