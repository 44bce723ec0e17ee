CREATE TABLE public.t (id int);
-- by hand on the target; privileges are not managed
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC;
