import psycopg2

print("psycopg2", psycopg2.__version__)
