CREATE TABLE public.t (id int PRIMARY KEY, status text, prio int);
CREATE INDEX t_rank ON public.t ((CASE WHEN status = 'urgent' THEN 0 ELSE 1 END), prio);
