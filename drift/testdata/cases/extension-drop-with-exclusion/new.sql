CREATE TABLE public.b (room int, during tstzrange);
