CREATE DOMAIN public.money_amount AS bigint CHECK (VALUE >= 0);
CREATE TABLE public.t (id int PRIMARY KEY, amount public.money_amount);
CREATE VIEW public.v AS SELECT id, amount FROM public.t;
