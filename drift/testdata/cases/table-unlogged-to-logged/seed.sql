INSERT INTO public.cache VALUES ('a', '{"x": 1}'), ('b', null);
