CREATE TABLE public.t (id int PRIMARY KEY, status text, prio int);
CREATE INDEX t_rank ON public.t ((CASE WHEN status = 'urgent' THEN 0 WHEN status = 'normal' THEN 1 ELSE 2 END), prio)
    WHERE CASE WHEN status IS NULL THEN false ELSE true END;
