CREATE TYPE public.mood AS ENUM ('sad', 'happy');
CREATE TABLE public.t (id int PRIMARY KEY, m public.mood NOT NULL);
