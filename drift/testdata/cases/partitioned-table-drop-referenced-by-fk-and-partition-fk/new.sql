CREATE TABLE public.c (id int PRIMARY KEY);
CREATE TABLE public.ref (rid int PRIMARY KEY, m_id int, m_at date);
