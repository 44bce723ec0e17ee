CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
COMMENT ON TYPE public.mood IS 'how it feels';
CREATE TABLE public.t (id int);
