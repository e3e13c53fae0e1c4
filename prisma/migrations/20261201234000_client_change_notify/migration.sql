-- Every Tessera process keeps the clients it has loaded (src/oidc/client-cache.ts). Any
-- write to the client table, by whichever writer (the CLI, dynamic registration, another
-- process, an operator's SQL), tells every process listening to forget its copies.
CREATE FUNCTION tessera_client_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tessera_client_changed', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER client_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "client"
  FOR EACH STATEMENT EXECUTE FUNCTION tessera_client_changed();
