"""Local: the embedded one-machine stack (Airflow home, metadata database) and the offline demo site.

Takes nothing but the project folder; gives a running demo and the settings the embedded Airflow needs.
"""
