CREATE TABLE public.a (id int);
CREATE TABLE public.t (id int PRIMARY KEY, r int, CONSTRAINT t_r_excl EXCLUDE USING btree (r WITH =));
COMMENT ON INDEX public.t_pkey IS 'new table key';
COMMENT ON INDEX public.t_r_excl IS 'exclusion';
