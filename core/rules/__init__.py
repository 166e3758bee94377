"""Pure business rules of DOMAIN.md: no database, no Streamlit, no clock (``today`` is a parameter)."""
