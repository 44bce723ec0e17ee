CREATE TABLE public.t (id int PRIMARY KEY, starts date, ends date, CONSTRAINT t_period CHECK (ends IS NULL OR ends > starts));
