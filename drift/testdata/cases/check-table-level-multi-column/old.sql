CREATE TABLE public.t (id int PRIMARY KEY, starts date, ends date);
