CREATE TABLE public.t (id int PRIMARY KEY, area box, during tstzrange);
