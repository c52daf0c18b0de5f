"""Streamlit components shared by every page: context (language, filters,
data), tables, charts, key-figure cards and downloads."""
