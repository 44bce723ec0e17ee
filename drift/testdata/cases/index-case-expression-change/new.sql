CREATE TABLE public.t (id int PRIMARY KEY, status text, prio int);
CREATE INDEX t_rank ON public.t ((CASE WHEN status = 'urgent' THEN 0 WHEN status = 'high' THEN 1 ELSE 2 END), prio);
