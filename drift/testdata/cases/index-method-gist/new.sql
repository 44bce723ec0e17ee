CREATE TABLE public.t (id int PRIMARY KEY, area box, during tstzrange);
CREATE INDEX t_area ON public.t USING gist (area);
CREATE INDEX t_during ON public.t USING gist (during);
