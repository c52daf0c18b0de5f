"""Pure Plotly figure builders, one module per page (no Streamlit here)."""
