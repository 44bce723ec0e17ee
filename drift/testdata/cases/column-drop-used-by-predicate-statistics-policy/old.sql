CREATE TABLE public.t (id int PRIMARY KEY, owner text, deleted boolean, qty int);
CREATE INDEX t_live ON public.t (id) WHERE NOT deleted;
CREATE STATISTICS t_stats ON owner, deleted FROM public.t;
ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY t_owner ON public.t USING (owner = current_user);
CREATE POLICY t_qty ON public.t USING (qty > 0);
