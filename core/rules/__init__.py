"""Pure business rules of docs/domain.md: no database, no Streamlit, no clock (``today`` is a parameter)."""
