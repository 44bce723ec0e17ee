CREATE TABLE public.t (id int PRIMARY KEY, tags varchar(20)[]);
